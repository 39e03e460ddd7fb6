/// An item whose name differs from an earlier item's only in ASCII case (`BOLT` after
/// `Bolt`): two items, likely a typing slip, which `PlanWarnings` reports.
public struct CaseRepeat: Sendable, Equatable {
    /// The later item and the first with that spelling up to case.
    public var item: Int
    public var first: Int

    public init(item: Int, first: Int) { (self.item, self.first) = (item, first) }
}

extension ItemTable {
    /// Every item whose name repeats an earlier one's up to ASCII case, in item order, each
    /// with the first such item.
    ///
    /// Names hashed case-folded without a `String` each, in open addressing (a slot: the
    /// hash's high half and the item + 1), the slot eight names on fetched ahead
    /// (`CacheHint`): at 1M items the slots are 16 MB, and a `Dictionary` with its seeded
    /// hash was a tenth of `takt check`. A hit is checked in full (`lowercased()`).
    public func caseRepeats() -> [CaseRepeat] {
        var size = 16
        while size < 2 * names.count { size *= 2 }
        var slots = ContiguousArray<UInt64>(repeating: 0, count: size)
        let folded = ContiguousArray(names.lazy.map { name in
            var text = name
            return text.withUTF8 { NameHash.foldedHash($0) }
        })
        var repeats: [CaseRepeat] = []
        for (item, name) in names.enumerated() {
            if item + 8 < names.count {
                slots.withUnsafeBufferPointer { CacheHint.fetch($0.baseAddress! + (Int(truncatingIfNeeded: folded[item + 8]) & (size - 1))) }
            }
            let tag = folded[item] & 0xFFFF_FFFF_0000_0000
            var i = Int(truncatingIfNeeded: folded[item]) & (size - 1)
            var first: Int?
            while slots[i] != 0 {
                if slots[i] & 0xFFFF_FFFF_0000_0000 == tag {
                    let other = Int(slots[i] & 0xFFFF_FFFF) - 1
                    if names[other].lowercased() == name.lowercased() {
                        first = other
                        break
                    }
                }
                i = (i + 1) & (size - 1)
            }
            if let first {
                repeats.append(CaseRepeat(item: item, first: first))
            } else {
                slots[i] = tag | UInt64(item + 1)
            }
        }
        return repeats
    }
}
