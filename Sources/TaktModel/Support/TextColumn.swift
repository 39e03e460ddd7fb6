/// A column of many short texts in one buffer of UTF-8 bytes.
///
/// A `String` longer than 15 bytes lives on the heap: a million item descriptions such as
/// "make part, level 0" took 16 + 64 bytes each; here each takes its bytes plus 4. Texts
/// are read as `String`s, made when read. At most 4 GiB of text in all (items.csv itself
/// is read only up to 4 GiB).
public struct TextColumn: Sendable, RandomAccessCollection, Equatable {
    private var bytes: [UInt8] = []
    /// Text `k` is `bytes[ends[k - 1]..<ends[k]]` (from 0 for the first).
    private var ends: ContiguousArray<UInt32> = []

    public init() {}

    public init(_ texts: some Sequence<String>) {
        for text in texts { append(text) }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { ends.count }

    public subscript(k: Int) -> String {
        let start = k == 0 ? 0 : Int(ends[k - 1])
        return bytes.withUnsafeBufferPointer { String(decoding: $0[start..<Int(ends[k])], as: UTF8.self) }
    }

    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(utf8: $0) }
    }

    /// Appends a text given as UTF-8 bytes.
    public mutating func append(utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: utf8)
        precondition(bytes.count <= UInt32.max, "a text column holds at most 4 GiB")
        ends.append(UInt32(bytes.count))
    }

    /// Room for `count` more texts (their bytes grow as they come).
    public mutating func reserveCapacity(_ count: Int) {
        ends.reserveCapacity(ends.count + count)
    }
}
