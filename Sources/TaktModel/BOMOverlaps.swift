/// Two lines of one parent → component whose effectivity windows share a day: on that
/// day both apply, and their quantities add up (an engineering change whose old line was
/// not closed, or a line entered twice with other dates). Not an error — the same
/// component at two places of an assembly is two lines — but worth a warning.
public struct BOMOverlap: Sendable, Equatable {
    /// The later line in the file (its index in `BOM`).
    public var line: Int
    /// The earlier line it shares days with.
    public var earlier: Int
}

extension BOM {
    /// Every line that shares a day of its window with an earlier line (in the file) of
    /// the same parent and component, each once, with the first such line; in line order.
    /// Uses the index (`buildIndex`): a parent's few lines each against the ones before
    /// it, a long list sorted by component and start.
    public func overlaps() -> [BOMOverlap] {
        var found: [BOMOverlap] = []
        let from = effectiveFrom.storage, to = effectiveTo.storage
        func share(_ a: Int, _ b: Int) -> Bool { max(from[a], from[b]) <= min(to[a], to[b]) }
        for p in 0..<parentStart.count - 1 where parentStart[p + 1] - parentStart[p] > 1 {
            let lines = parentRange(p)
            if lines.count <= 16 {
                for j in lines.dropFirst() {
                    let l = byParent[j]
                    if let k = (lines.lowerBound..<j).first(where: { component[byParent[$0]] == component[l] && share(l, byParent[$0]) }) {
                        found.append(BOMOverlap(line: l, earlier: byParent[k]))
                    }
                }
                continue
            }
            // By component, then start: a line shares days with an earlier-starting one
            // exactly when it starts on or before the latest end so far.
            let group = byParent[lines].sorted { (component[$0], from[$0], $0) < (component[$1], from[$1], $1) }
            var reach = group[0]
            var seen: [Int: Int] = [:]
            for l in group.dropFirst() {
                if component[l] != component[reach] {
                    reach = l
                    continue
                }
                if from[l] <= to[reach] {
                    let (later, earlier) = l > reach ? (l, reach) : (reach, l)
                    if seen[later] == nil { seen[later] = earlier }
                }
                if to[l] > to[reach] { reach = l }
            }
            for (later, earlier) in seen { found.append(BOMOverlap(line: later, earlier: earlier)) }
        }
        return found.sorted { $0.line < $1.line }
    }
}
