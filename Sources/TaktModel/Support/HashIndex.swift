import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hash of the model loader's name look-ups (`NameIndex`, `caseRepeats`): words of
/// eight bytes folded by 128-bit multiplies, then a finalizer, instead of `Dictionary`'s
/// per-call SipHash seeding (a quarter of `takt check` at 100k items before) or a
/// multiply per byte (FNV-1a: a chain of ten multiplies for a name like `CM-0000200`).
///
/// A name is read in loads that stay inside it: from 8 bytes on, pairs of words from the
/// front while more than 16 bytes are left, then the two words ending at its last byte
/// (overlapping what was read; one from the front up to 16 bytes); two 4-byte halves below
/// 8 bytes; and the first, middle and last byte below 4. Every byte is in some load, so the hash also
/// says whether the name is ASCII (no load has a high bit set).
package enum NameHash {
    /// A well-mixed 64-bit hash of a byte string.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        hashAndASCII(bytes, fold: false).hash
    }

    /// The hash of `bytes` with ASCII letters taken as lower case (`A` and `a` alike).
    @inline(__always)
    package static func foldedHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        hashAndASCII(bytes, fold: true).hash
    }

    /// The hash, and whether every byte is below 0x80.
    @inline(__always)
    static func hashAndASCII(_ bytes: UnsafeBufferPointer<UInt8>, fold: Bool) -> (hash: UInt64, ascii: Bool) {
        let n = bytes.count
        guard n > 0, let p = bytes.baseAddress else { return (mix(0), true) }
        let raw = UnsafeRawPointer(p)
        @inline(__always) func word(_ offset: Int) -> UInt64 {
            let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            return fold ? lowered(w) : w
        }
        @inline(__always) func half(_ offset: Int) -> UInt64 {
            let w = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            return fold ? lowered(w) : w
        }
        var seed = 0xA076_1D64_78BD_642F ^ UInt64(n)
        var high: UInt64 = 0
        let a: UInt64, b: UInt64
        if n >= 8 {
            var offset = 0
            while n - offset > 16 {
                let (x, y) = (word(offset), word(offset + 8))
                high |= x | y
                seed = mum(x ^ 0xE703_7ED1_A0B4_28DB, y ^ seed)
                offset += 16
            }
            // The last 16 bytes (overlapping the last pair taken), or the 8 to 16 bytes of
            // a short name: the word at its start and the one ending it.
            (a, b) = n > 16 ? (word(n - 16), word(n - 8)) : (word(0), word(n - 8))
        } else if n >= 4 {
            (a, b) = (half(0), half(n - 4))
        } else {
            let w = UInt64(p[0]) << 16 | UInt64(p[n >> 1]) << 8 | UInt64(p[n - 1])
            (a, b) = (fold ? lowered(w) : w, 0)
        }
        high |= a | b
        return (mix(mum(a ^ 0xE703_7ED1_A0B4_28DB, b ^ seed)), high & 0x8080_8080_8080_8080 == 0)
    }

    /// The high and low words of `a × b`, exclusive-or'ed.
    @inline(__always)
    static func mum(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: b)
        return high ^ low
    }

    /// `w` with each byte from `A` to `Z` turned into its lower case (32 added); every
    /// other byte as it is.
    @inline(__always)
    static func lowered(_ w: UInt64) -> UInt64 {
        let low7 = w & 0x7F7F_7F7F_7F7F_7F7F
        // A lane's top bit: the byte's low 7 bits are at least 0x41, then at least 0x5B.
        let fromA = (low7 &+ 0x3F3F_3F3F_3F3F_3F3F) & 0x8080_8080_8080_8080
        let pastZ = (low7 &+ 0x2525_2525_2525_2525) & 0x8080_8080_8080_8080
        let upper = fromA & ~pastZ & ~w
        return w | upper >> 2
    }

    /// The finalizer of SplitMix64: every bit of `value` moves every bit of the result.
    package static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Names (UTF-8 bytes) → ids `0..<count` in insertion order, for item, supplier and
/// work-center names: lookups straight from a CSV field's bytes, with no `String` made.
///
/// Each 16-byte slot holds the id with the name's length and its first bytes (`Head`): a
/// name of at most `headBytes` bytes (most part numbers) is found or passed by in the slot
/// alone; a longer one keeps its first `longHeadBytes` bytes and 32 bits of its hash there,
/// and is compared with its stored bytes only when all of that agrees. At 1M items the
/// slots (32 MB) and the names (10 MB) are far beyond the cache: a look-up that went on
/// from an 8-byte slot to the name's end in one array and its bytes in another waited for
/// each in turn, after the slot prefetched.
public struct NameIndex: Sendable {
    /// The longest name a slot holds whole.
    static let headBytes = 11
    /// The bytes a slot holds of a longer name, before its hash bits.
    static let longHeadBytes = 7

    /// A slot, as 16 bytes in memory order: the id + 1 in the low 32 bits of `low` (0 =
    /// empty), the name's length in the next byte (255 for 255 and more), then its first
    /// `headBytes` bytes padded with zeros; or, for a name longer than that, its first
    /// `longHeadBytes` bytes and the top 32 bits of its hash.
    struct Head: Sendable {
        var low: UInt64
        var high: UInt64

        static let empty = Head(low: 0, high: 0)

        /// The slot of the name `key`, whose hash is `hash`, with no id (its bits 0).
        @inline(__always)
        init(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) {
            var words: (UInt64, UInt64) = (0, 0)
            withUnsafeMutableBytes(of: &words) { raw in
                raw[4] = UInt8(min(key.count, 255))
                guard let base = key.baseAddress else { return }
                if key.count <= NameIndex.headBytes {
                    (raw.baseAddress! + 5).copyMemory(from: base, byteCount: key.count)
                } else {
                    (raw.baseAddress! + 5).copyMemory(from: base, byteCount: NameIndex.longHeadBytes)
                    raw.storeBytes(of: UInt32(truncatingIfNeeded: hash >> 32), toByteOffset: 5 + NameIndex.longHeadBytes,
                                   as: UInt32.self)
                }
            }
            (low, high) = (UInt64(littleEndian: words.0), UInt64(littleEndian: words.1))
        }

        init(low: UInt64, high: UInt64) { (self.low, self.high) = (low, high) }

        /// This head with `id`.
        @inline(__always)
        func with(id: Int) -> Head {
            precondition(id >= 0 && id < Int(UInt32.max), "a name index of more than 2^32 - 1 names")
            return Head(low: low | UInt64(id + 1), high: high)
        }

        /// The id (-1 for an empty slot).
        @inline(__always)
        var id: Int { Int(low & 0xFFFF_FFFF) - 1 }

        /// Whether this slot holds a name with `key`'s length and head.
        @inline(__always)
        func matches(_ key: Head) -> Bool { low & ~0xFFFF_FFFF == key.low && high == key.high }
    }

    private var slots = ContiguousArray<Head>(repeating: .empty, count: 16)
    private var bytes = ContiguousArray<UInt8>()
    /// End of each name in `bytes`; a name starts where the previous one ended.
    private var ends = ContiguousArray<Int>()

    public init() {}

    public var count: Int { ends.count }

    /// Names are compared in Unicode normalization form C: `CAFÉ` written with a combined
    /// É or with E and an accent is one name. ASCII names (most) take the byte path.
    public func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let (hash, ascii) = NameHash.hashAndASCII(key, fold: false)
        if !ascii {
            var normal = Self.normalized(String(decoding: key, as: UTF8.self))
            return normal.withUTF8 { findBytes($0, hash: NameHash.hash($0)) }
        }
        return findBytes(key, hash: hash)
    }

    /// NFC of a name with non-ASCII characters.
    static func normalized(_ name: String) -> String {
        name.utf8.contains(where: { $0 >= 0x80 }) ? name.precomposedStringWithCanonicalMapping : name
    }

    /// Brings the slot where `find(key)` starts probing into the cache. A reader calls it a
    /// few rows ahead of the look-up: at 1M items the slots are far beyond the cache, and
    /// waiting for one was three quarters of a look-up's time.
    @inline(__always)
    public func prefetch(_ key: UnsafeBufferPointer<UInt8>) {
        let hash = NameHash.hash(key)
        slots.withUnsafeBufferPointer { slots in
            CacheHint.fetch(slots.baseAddress! + (Int(truncatingIfNeeded: hash) & (slots.count - 1)))
        }
    }

    private func findBytes(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int? {
        probe(key, hash: hash).id
    }

    /// The id of the name `key` (whose hash is `hash`) when the index holds it, else nil
    /// and the empty slot where it would go.
    @inline(__always)
    private func probe(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> (id: Int?, slot: Int) {
        let head = Head(key, hash: hash)
        let short = key.count <= Self.headBytes
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var i = Int(truncatingIfNeeded: hash) & mask
            while true {
                let slot = slots[i]
                if slot.low == 0 { return (nil, i) }
                // A short name is the whole of its head; a longer one is checked byte for byte.
                if slot.matches(head) && (short || holds(slot.id, key)) { return (slot.id, i) }
                i = (i + 1) & mask
            }
        }
    }

    /// Whether name `id` is `key`, byte for byte.
    private func holds(_ id: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { store in
            let start = id == 0 ? 0 : ends[id - 1]
            return ends[id] - start == key.count
                && (key.isEmpty || memcmp(store.baseAddress! + start, key.baseAddress!, key.count) == 0)
        }
    }

    public func find(_ name: String) -> Int? {
        var name = name
        return name.withUTF8 { find($0) }
    }

    /// Room for `count` names without growing (and hashing every name again).
    mutating func reserveCapacity(_ count: Int) {
        var size = slots.count
        while size < 2 * count { size *= 2 }
        guard size > slots.count else { return }
        rehash(size: size, ids: 0..<self.count)
        ends.reserveCapacity(count)
    }

    /// New empty slots of `size`, and the names of `ids` placed again.
    private mutating func rehash(size: Int, ids: Range<Int>) {
        slots = ContiguousArray(repeating: .empty, count: size)
        // Copies of the references (no bytes copied), read while the slots change.
        let (stored, ends) = (bytes, self.ends)
        stored.withUnsafeBufferPointer { store in
            for id in ids {
                let name = UnsafeBufferPointer(rebasing: store[(id == 0 ? 0 : ends[id - 1])..<ends[id]])
                place(name, hash: NameHash.hash(name), id: id)
            }
        }
    }

    /// Adds `name` (the caller has checked it is absent) with the next id, `count`.
    @discardableResult
    public mutating func append(_ name: String) -> Int {
        var name = Self.normalized(name)
        let id = count
        name.withUTF8 { key in
            bytes.append(contentsOf: key)
            ends.append(bytes.count)
            if (id + 1) * 2 > slots.count { rehash(size: slots.count * 2, ids: 0..<id) }
            place(key, hash: NameHash.hash(key), id: id)
        }
        return id
    }

    /// Adds the name `key` with the next id and returns that id, or nil (adding nothing)
    /// when the index holds it already: what `find` then `append` do, with an ASCII name
    /// (most) hashed once and its slots probed once.
    public mutating func appendIfAbsent(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let (hash, ascii) = NameHash.hashAndASCII(key, fold: false)
        guard ascii else {
            if find(key) != nil { return nil }
            return append(String(decoding: key, as: UTF8.self))
        }
        let id = count
        if (id + 1) * 2 > slots.count { rehash(size: slots.count * 2, ids: 0..<id) }
        let found = probe(key, hash: hash)
        guard found.id == nil else { return nil }
        bytes.append(contentsOf: key)
        ends.append(bytes.count)
        slots[found.slot] = Head(key, hash: hash).with(id: id)
        return id
    }

    /// Puts name `id` (`key`, whose hash is `hash`) in the first empty slot of its probe.
    private mutating func place(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, id: Int) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i].low != 0 { i = (i + 1) & mask }
        slots[i] = Head(key, hash: hash).with(id: id)
    }
}
