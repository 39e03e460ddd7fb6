import CHeap

/// The processor's prefetch hint (`takt_prefetch`, Swift has none): a lookup in a table far
/// beyond the cache, made row after row, asks for its slot a few rows ahead so that the
/// look-up does not wait for memory. A hint: it changes no result.
public enum CacheHint {
    @inline(__always)
    public static func fetch(_ address: UnsafeRawPointer) {
        takt_prefetch(address)
    }
}
