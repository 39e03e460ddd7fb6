/// Text written as UTF-8 onto byte buffers: the files' rows are built as bytes, and a
/// `String`'s bytes are copied in one go (its contiguous storage), not element by element.
extension Array where Element == UInt8 {
    /// Appends `text`'s UTF-8 bytes.
    @inlinable
    public mutating func append(utf8 text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ append(contentsOf: $0) }) == nil {
            append(contentsOf: text.utf8)
        }
    }

    /// Makes the bytes from `start` on one RFC 4180 field (contract §4): quoted, with each
    /// quote doubled, when they hold a comma, a quote or a line break; left as they are
    /// otherwise. Written in place, so a field's text can be put straight onto a row.
    public mutating func quoteField(from start: Int) {
        guard Self.needsQuotes(self, from: start) else { return }
        var quotes = 0
        for b in self[start...] where b == 0x22 { quotes += 1 }
        // Room for the two quotes and the doubled ones, then each byte moved up from the
        // last, in place (the buffer is a row chunk of about a megabyte: no copy of it).
        let end = count
        append(contentsOf: repeatElement(0x22, count: 2 + quotes))
        withUnsafeMutableBufferPointer { buffer in
            var write = buffer.count - 1 // the closing quote stays
            var read = end - 1
            while read >= start {
                write -= 1
                buffer[write] = buffer[read]
                if buffer[read] == 0x22 {
                    write -= 1
                    buffer[write] = 0x22
                }
                read -= 1
            }
            buffer[write - 1] = 0x22
        }
    }

    /// Whether the bytes from `start` on hold a comma, a quote, a line feed or a carriage
    /// return: eight bytes at a time (`SWAR`), the last few one by one.
    static func needsQuotes(_ bytes: [UInt8], from start: Int) -> Bool {
        guard start < bytes.count else { return false }
        return bytes.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!) // not empty: `start` is inside
            var at = start
            while at + 8 <= buffer.count {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt64.self))
                if SWAR.bytes(equalTo: 0x2C, in: word) | SWAR.bytes(equalTo: 0x22, in: word)
                    | SWAR.bytes(equalTo: 0x0A, in: word) | SWAR.bytes(equalTo: 0x0D, in: word) != 0 { return true }
                at += 8
            }
            while at < buffer.count {
                let b = buffer[at]
                if b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { return true }
                at += 1
            }
            return false
        }
    }
}
