/// The bill of materials as flat parent → component lines, with CSR indexes both ways.
///
/// Contract §1 `bom.csv`. `forEachLine(of:effectiveOn:)` (down, effectivity applied) and
/// `forEachUse(of:)` (up) give line indices in file order without any hashing. Ids, days
/// and indexes are held in 32 bits (`Int32Column`): a million-item model has nearly two
/// million lines.
public struct BOM: Sendable {
    public var parent = Int32Column()
    public var component = Int32Column()
    public var qtyPer: ContiguousArray<Double> = []
    public var scrapPct: ContiguousArray<Double> = []
    /// First effective day (inclusive); `Int.min` when open.
    public var effectiveFrom = DayBoundColumn()
    /// Last effective day (inclusive); `Int.max` when open.
    public var effectiveTo = DayBoundColumn()
    public var sourceLine = Int32Column()

    /// CSR: lines of parent `p` are `byParent[parentStart[p]..<parentStart[p+1]]`.
    public private(set) var parentStart: Int32Column = [0]
    public private(set) var byParent = Int32Column()
    /// CSR: lines using component `c` are `byComponent[componentStart[c]..<componentStart[c+1]]`.
    public private(set) var componentStart: Int32Column = [0]
    public private(set) var byComponent = Int32Column()

    public init() {}

    public var count: Int { parent.count }

    public mutating func append(parent: Int, component: Int, qtyPer: Double, scrapPct: Double,
                                effectiveFrom: Int, effectiveTo: Int, line: Int) {
        self.parent.append(parent)
        self.component.append(component)
        self.qtyPer.append(qtyPer)
        self.scrapPct.append(scrapPct)
        self.effectiveFrom.append(effectiveFrom)
        self.effectiveTo.append(effectiveTo)
        self.sourceLine.append(line)
    }

    /// Room for `count` lines in every column.
    package mutating func reserveCapacity(_ count: Int) {
        parent.reserveCapacity(count)
        component.reserveCapacity(count)
        qtyPer.reserveCapacity(count)
        scrapPct.reserveCapacity(count)
        effectiveFrom.reserveCapacity(count)
        effectiveTo.reserveCapacity(count)
        sourceLine.reserveCapacity(count)
    }

    /// Appends `other`'s lines after these (before the index is built).
    package mutating func append(contentsOf other: BOM) {
        parent.append(contentsOf: other.parent)
        component.append(contentsOf: other.component)
        qtyPer.append(contentsOf: other.qtyPer)
        scrapPct.append(contentsOf: other.scrapPct)
        effectiveFrom.append(contentsOf: other.effectiveFrom)
        effectiveTo.append(contentsOf: other.effectiveTo)
        sourceLine.append(contentsOf: other.sourceLine)
    }

    /// Drops the lines `drop` marks (before the index is built).
    package mutating func removeLines(_ drop: [Bool]) {
        func kept<T>(_ values: ContiguousArray<T>) -> ContiguousArray<T> {
            ContiguousArray(values.indices.lazy.filter { !drop[$0] }.map { values[$0] })
        }
        func kept(_ values: Int32Column) -> Int32Column {
            Int32Column(values.indices.lazy.filter { !drop[$0] }.map { values[$0] })
        }
        func kept(_ values: DayBoundColumn) -> DayBoundColumn {
            DayBoundColumn(values.indices.lazy.filter { !drop[$0] }.map { values[$0] })
        }
        (parent, component, qtyPer, scrapPct) = (kept(parent), kept(component), kept(qtyPer), kept(scrapPct))
        (effectiveFrom, effectiveTo, sourceLine) = (kept(effectiveFrom), kept(effectiveTo), kept(sourceLine))
    }

    /// Builds both CSR indexes by counting sort (stable: file order within a parent).
    ///
    /// - Complexity: O(items + lines).
    /// `byParent`: the lines already grouped by parent (`csr` of these very lines), kept.
    public mutating func buildIndex(itemCount: Int, byParent grouped: (start: Int32Column, order: Int32Column)? = nil) {
        (parentStart, byParent) = grouped ?? Self.csr(keys: parent, count: itemCount)
        (componentStart, byComponent) = Self.csr(keys: component, count: itemCount)
    }

    /// Lines grouped by `keys` (a parent or component per line) with a stable counting
    /// sort: `order[start[k]..<start[k + 1]]` are the lines of key `k`, in file order.
    package static func csr(keys: Int32Column, count: Int) -> (start: Int32Column, order: Int32Column) {
        var start = ContiguousArray<Int>(repeating: 0, count: count + 1)
        for key in keys { start[key + 1] += 1 }
        for i in 0..<count { start[i + 1] += start[i] }
        var fill = start
        var order = Int32Column(repeating: 0, count: keys.count)
        for (line, key) in keys.enumerated() {
            order[fill[key]] = line
            fill[key] += 1
        }
        return (Int32Column(start), order)
    }

    /// Range into `byParent` of the lines of `item`.
    @inlinable @inline(__always)
    public func parentRange(_ item: Int) -> Range<Int> { parentStart[item]..<parentStart[item + 1] }

    /// Range into `byComponent` of the lines using `item`.
    @inlinable @inline(__always)
    public func componentRange(_ item: Int) -> Range<Int> { componentStart[item]..<componentStart[item + 1] }

    /// Whether line `l` is in effect on `day` (both ends inclusive, contract §2).
    @inlinable @inline(__always)
    public func isEffective(_ l: Int, on day: Int) -> Bool {
        Self.isEffective(from: effectiveFrom.storage[l], to: effectiveTo.storage[l], on: day)
    }

    /// The effectivity rule on a line's stored bounds (for copies of them kept beside
    /// other per-line columns): both ends inclusive. In 32 bits the open ends are
    /// `Int32.min` and `Int32.max`, which no clamped day passes.
    @inlinable @inline(__always)
    public static func isEffective(from: Int32, to: Int32, on day: Int) -> Bool {
        let day = Int32(clamping: day)
        return from <= day && day <= to
    }

    /// The walk down the BOM: `body(line)` for each line of `parent`, in file order, that
    /// is in effect on `day` (every line when `day` is nil). Inlined: the hot walks (the
    /// MRP's explosion of each order) cost what the hand-written loop did.
    @inlinable @inline(__always)
    public func forEachLine(of parent: Int, effectiveOn day: Int?, _ body: (_ line: Int) throws -> Void) rethrows {
        for k in parentRange(parent) {
            let line = byParent[k]
            if let day, !isEffective(line, on: day) { continue }
            try body(line)
        }
    }

    /// Whether a figure rolled up over `parent`'s lines on `today` can differ from the one
    /// rolled up on `before`: one of its lines starts or stops being in effect between the
    /// two days, or a line in effect today has a component whose figure `changed`. Lines
    /// whose component `counts` rejects take no part (the run hours leave bought parts
    /// out). Components come before their parents, so `changed` is known for each of them.
    @inlinable @inline(__always)
    public func rollUpDiffers(_ parent: Int, on today: Int, from before: Int,
                              counts: (_ component: Int) -> Bool, changed: (_ component: Int) -> Bool) -> Bool {
        for k in parentRange(parent) {
            let line = byParent[k]
            let component = self.component[line]
            guard counts(component) else { continue }
            let inEffect = isEffective(line, on: today)
            if inEffect != isEffective(line, on: before) || (inEffect && changed(component)) { return true }
        }
        return false
    }

    /// The walk up the BOM: `body(line)` for each line whose component is `component`, in
    /// file order. Effectivity is the caller's: each use is dated by its parent's order.
    @inlinable @inline(__always)
    public func forEachUse(of component: Int, _ body: (_ line: Int) throws -> Void) rethrows {
        for k in componentRange(component) { try body(byComponent[k]) }
    }

    /// For each of `days`, a key that is equal for two days exactly when the same lines are
    /// in effect on both: the number of effectivity changes (a line starting, or stopping
    /// the day after its `effective_to`) on or before the day. Lets a caller explode once
    /// per distinct key instead of once per day.
    public func effectivityEpochs(of days: [Day]) -> [Int] {
        var changes: [Int] = []
        for l in 0..<count {
            if effectiveFrom[l] != Int.min { changes.append(effectiveFrom[l]) }
            if effectiveTo[l] != Int.max { changes.append(effectiveTo[l] + 1) }
        }
        changes.sort()
        return days.map { day in
            // Changes on or before `day`: the first index past them.
            var (low, high) = (0, changes.count)
            while low < high {
                let mid = (low + high) / 2
                if changes[mid] <= day.number { low = mid + 1 } else { high = mid }
            }
            return low
        }
    }

    /// Component quantity per unit of parent on line `l`, with scrap: `qty_per × (1 + scrap/100)`.
    @inlinable @inline(__always)
    public func extendedQty(_ l: Int) -> Double { qtyPer[l] * (1 + scrapPct[l] / 100) }

    /// The lines, in file order, whose component is one of `products` (contract §2a: under
    /// `mps: capacity` a product may not be a component).
    public static func linesUsingProducts(_ products: [Int], _ bom: BOM) -> [Int] {
        var lines: [Int] = []
        for p in products { bom.forEachUse(of: p) { lines.append($0) } }
        return lines.sorted()
    }

    /// `items` and every item below them (their components, their components'
    /// components …), whatever the lines' effectivity, as marks by item id. The lines of
    /// an item that `through` rejects are not followed (it is marked, what lies below it
    /// is not, unless reached another way).
    ///
    /// - Complexity: O(marked items + their BOM lines).
    public func descendants(of items: some Sequence<Int>, itemCount: Int, through: (_ item: Int) -> Bool = { _ in true }) -> [Bool] {
        reach(from: items, itemCount: itemCount) { item, visit in
            guard through(item) else { return }
            for k in parentRange(item) { visit(Int(component[byParent[k]])) }
        }
    }

    /// `items` and every item above them (their parents, their parents' parents …), as
    /// marks by item id.
    ///
    /// - Complexity: O(marked items + their BOM lines).
    public func ancestors(of items: some Sequence<Int>, itemCount: Int) -> [Bool] {
        reach(from: items, itemCount: itemCount) { item, visit in
            forEachUse(of: item) { visit(Int(parent[$0])) }
        }
    }

    /// `items` and every item `next` leads to from a marked one (`next(item, visit)` calls
    /// `visit` with each item one step on), as marks by item id.
    private func reach(from items: some Sequence<Int>, itemCount: Int, next: (_ item: Int, _ visit: (Int) -> Void) -> Void) -> [Bool] {
        var mark = [Bool](repeating: false, count: itemCount)
        var stack: [Int] = []
        func visit(_ item: Int) {
            guard !mark[item] else { return }
            mark[item] = true
            stack.append(item)
        }
        for item in items { visit(item) }
        while let item = stack.popLast() { next(item, visit) }
        return mark
    }
}
