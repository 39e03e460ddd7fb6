/// Byte tests on eight bytes at once (the CSV reader's scan, the CSV fields' quoting).
public enum SWAR {
    /// The high bit of each byte of `word` equal to `byte`, exactly (no false positives
    /// from borrows: no byte's sum carries into the next).
    @inlinable @inline(__always)
    public static func bytes(equalTo byte: UInt8, in word: UInt64) -> UInt64 {
        let x = word ^ (UInt64(byte) &* 0x0101_0101_0101_0101)
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((x & low) &+ low) | x | low)
    }
}
