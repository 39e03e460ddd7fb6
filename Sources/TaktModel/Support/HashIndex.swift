import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The hash of the model loader's name look-ups (`NameIndex`): a multiplicative hash and
/// a finalizer, instead of `Dictionary`'s per-call SipHash seeding (a quarter of
/// `takt check` at 100k items before).
package enum NameHash {
    /// A well-mixed 64-bit hash of a byte string (FNV-1a, then a finalizer).
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return mix(h)
    }

    package static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Names (UTF-8 bytes) → ids `0..<count` in insertion order, for item, supplier and
/// work-center names: lookups straight from a CSV field's bytes, with no `String` made.
/// Each slot packs 32 bits of the name's hash with its id, so a probe touches the stored
/// bytes only when the hashes agree.
public struct NameIndex: Sendable {
    /// `hash & 0xFFFF_FFFF_0000_0000 | (id + 1)`, 0 = empty.
    private var slots = ContiguousArray<UInt64>(repeating: 0, count: 16)
    private var bytes = ContiguousArray<UInt8>()
    /// End of each name in `bytes`; a name starts where the previous one ended.
    private var ends = ContiguousArray<Int>()

    public init() {}

    public var count: Int { ends.count }

    /// Names are compared in Unicode normalization form C: `CAFÉ` written with a combined
    /// É or with E and an accent is one name. ASCII names (most) take the byte path.
    public func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        if key.contains(where: { $0 >= 0x80 }) {
            var normal = Self.normalized(String(decoding: key, as: UTF8.self))
            return normal.withUTF8 { findBytes($0) }
        }
        return findBytes(key)
    }

    /// NFC of a name with non-ASCII characters.
    static func normalized(_ name: String) -> String {
        name.utf8.contains(where: { $0 >= 0x80 }) ? name.precomposedStringWithCanonicalMapping : name
    }

    /// Brings the slot where `find(key)` starts probing into the cache. A reader calls it a
    /// few rows ahead of the look-up: at 1M items the slots (16 MB) are far beyond the
    /// cache, and waiting for one was three quarters of a look-up's time.
    @inline(__always)
    public func prefetch(_ key: UnsafeBufferPointer<UInt8>) {
        let hash = NameHash.hash(key)
        slots.withUnsafeBufferPointer { slots in
            CacheHint.fetch(slots.baseAddress! + (Int(truncatingIfNeeded: hash) & (slots.count - 1)))
        }
    }

    private func findBytes(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = NameHash.hash(key)
        let tag = hash & 0xFFFF_FFFF_0000_0000
        return slots.withUnsafeBufferPointer { slots in
            bytes.withUnsafeBufferPointer { store in
                ends.withUnsafeBufferPointer { ends in
                    let mask = slots.count - 1
                    var i = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let slot = slots[i]
                        if slot == 0 { return nil }
                        if slot & 0xFFFF_FFFF_0000_0000 == tag {
                            let id = Int(slot & 0xFFFF_FFFF) - 1
                            let start = id == 0 ? 0 : ends[id - 1]
                            if ends[id] - start == key.count
                                && (key.isEmpty || memcmp(store.baseAddress! + start, key.baseAddress!, key.count) == 0) {
                                return id
                            }
                        }
                        i = (i + 1) & mask
                    }
                }
            }
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
        slots = ContiguousArray(repeating: 0, count: size)
        for id in ids {
            let start = id == 0 ? 0 : ends[id - 1]
            let h = bytes.withUnsafeBufferPointer { NameHash.hash(UnsafeBufferPointer(rebasing: $0[start..<ends[id]])) }
            place(h, id: id)
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
            place(NameHash.hash(key), id: id)
        }
        return id
    }

    private mutating func place(_ hash: UInt64, id: Int) {
        let mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = hash & 0xFFFF_FFFF_0000_0000 | UInt64(id + 1)
    }
}
