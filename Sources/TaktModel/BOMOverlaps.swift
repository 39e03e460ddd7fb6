/// Two lines of one parent → component whose effectivity windows share a day: on that
/// day both apply, and their quantities add up (an engineering change whose old line was
/// not closed, or a line entered twice with other dates). Not an error (lines with other
/// `effective_from` dates are other lines, §1's key) but worth a warning.
public struct BOMOverlap: Sendable, Equatable {
    /// The later line in the file (its index in `BOM`).
    public var line: Int
    /// The earlier line it shares days with.
    public var earlier: Int
}

extension BOM {
    /// Every line that shares a day of its window with an earlier line (in the file) of
    /// the same parent and component, each once, with the first such line; in line order.
    /// Uses the index (`buildIndex`).
    public func overlaps() -> [BOMOverlap] {
        let from = effectiveFrom.storage, to = effectiveTo.storage
        return Self.firstEarlier(start: parentStart, byParent: byParent, component: component) { a, b in
            max(from[a], from[b]) <= min(to[a], to[b])
        }.map { BOMOverlap(line: $0.line, earlier: $0.earlier) }
    }

    /// Each line with the first earlier line (in the file) of the same parent and component
    /// for which `match(line, earlier)` holds, in line order; lines with none left out.
    /// `start`/`byParent`: the lines grouped by parent in file order (`csr`). A parent's
    /// few lines each against the ones before it; a long list grouped by component first
    /// (sorted by component and line), each group's lines against the ones before them (a
    /// component has a line or two a parent): no hash of a million keys. Both the
    /// duplicate-line check (the same `effective_from`) and `overlaps` scan this way.
    package static func firstEarlier(start: Int32Column, byParent: Int32Column, component: Int32Column,
                                     where match: (Int, Int) -> Bool) -> [(line: Int, earlier: Int)] {
        var found: [(line: Int, earlier: Int)] = []
        // `lines` in file order: each against the earlier ones of its component (no
        // allocation: a million parents of a few lines each).
        func scan(_ lines: some RandomAccessCollection<Int>) {
            for j in lines.indices.dropFirst() {
                let l = lines[j]
                if let k = lines[..<j].firstIndex(where: { component[$0] == component[l] && match(l, $0) }) {
                    found.append((l, lines[k]))
                }
            }
        }
        for p in 0..<start.count - 1 where start[p + 1] - start[p] > 1 {
            let lines = byParent[start[p]..<start[p + 1]]
            if lines.count <= 16 {
                scan(lines)
                continue
            }
            let group = lines.sorted { (component[$0], $0) < (component[$1], $1) }
            var runStart = 0
            for k in 1...group.count where k == group.count || component[group[k]] != component[group[runStart]] {
                if k - runStart > 1 { scan(group[runStart..<k]) }
                runStart = k
            }
        }
        return found.sorted { $0.line < $1.line }
    }
}
