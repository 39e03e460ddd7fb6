/// Low-level codes (contract §2): an item's code is the deepest level at which it appears
/// in any BOM; items used by no parent are level 0.
///
/// Behaviour:
/// - Kahn's topological sort over parent → component lines, all lines regardless of
///   effectivity (a code must hold for every date).
/// - A cycle leaves items unsorted; one cycle among them is traced and returned as its
///   path (`A -> B -> C -> A`) with the BOM line that closes it.
///
/// - Complexity: O(items + BOM lines).
public enum LowLevelCodes {
    public struct Cycle: Error, Sendable {
        /// Items parent → component, first item repeated at the end.
        public var path: [Int]
        /// BOM line index of each step of `path` (`path[k] -> path[k+1]`).
        public var lines: [Int]

        /// The same cycle turned so that its last step is the line `last` of `lines`.
        public func ending(at last: Int) -> Cycle {
            let n = lines.count
            let start = (last + 1) % n
            let items = (0..<n).map { path[(start + $0) % n] }
            return Cycle(path: items + [items[0]], lines: (0..<n).map { lines[(start + $0) % n] })
        }
    }

    public static func compute(itemCount: Int, bom: BOM) -> Result<ContiguousArray<Int>, Cycle> {
        var indegree = ContiguousArray<Int>(repeating: 0, count: itemCount)
        for c in bom.component { indegree[c] += 1 }
        var queue = ContiguousArray<Int>()
        queue.reserveCapacity(itemCount)
        for i in 0..<itemCount where indegree[i] == 0 { queue.append(i) }
        var code = ContiguousArray<Int>(repeating: 0, count: itemCount)
        var head = 0
        while head < queue.count {
            let p = queue[head]
            head += 1
            bom.forEachLine(of: p, effectiveOn: nil) { l in
                let c = bom.component[l]
                if code[c] < code[p] + 1 { code[c] = code[p] + 1 }
                indegree[c] -= 1
                if indegree[c] == 0 { queue.append(c) }
            }
        }
        if queue.count == itemCount { return .success(code) }
        return .failure(findCycle(itemCount: itemCount, bom: bom, onCycle: indegree))
    }

    /// Items in the order MRP plans them: by low-level code, then by id.
    public static func planningOrder(_ code: ContiguousArray<Int>) -> ContiguousArray<Int> {
        let levels = (code.max() ?? 0) + 1
        var start = ContiguousArray<Int>(repeating: 0, count: levels + 1)
        for c in code { start[c + 1] += 1 }
        for l in 0..<levels { start[l + 1] += start[l] }
        var order = ContiguousArray<Int>(repeating: 0, count: code.count)
        for (item, c) in code.enumerated() {
            order[start[c]] = item
            start[c] += 1
        }
        return order
    }

    /// Walks from an item left with a positive in-degree (it sits on or below a cycle)
    /// along components that are also left, until an item repeats.
    private static func findCycle(itemCount: Int, bom: BOM, onCycle indegree: ContiguousArray<Int>) -> Cycle {
        // Every remaining item has a remaining parent, so walking parents must repeat.
        var position = [Int: Int]()
        var path: [Int] = []
        var lines: [Int] = []
        var current = indegree.firstIndex { $0 > 0 }!
        while position[current] == nil {
            position[current] = path.count
            path.append(current)
            // Step to a remaining parent of `current` (every remaining item has one).
            var next = -1
            var viaLine = -1
            for k in bom.componentRange(current) {
                let l = bom.byComponent[k]
                if indegree[bom.parent[l]] > 0 {
                    next = bom.parent[l]
                    viaLine = l
                    break
                }
            }
            lines.append(viaLine)
            current = next
        }
        // path[start...] walked child → parent (lines[k] joins path[k+1] → path[k]);
        // reverse both into parent → child order.
        let start = position[current]!
        let items = Array(path[start...].reversed())
        let end = path.count - 1
        let steps = Array(lines[start..<end].reversed()) + [lines[end]]
        return Cycle(path: items + [items[0]], lines: steps)
    }
}
