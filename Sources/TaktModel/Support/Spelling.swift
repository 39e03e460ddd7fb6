/// Closest spellings, for messages about an unknown name or key ("did you mean …").
public enum Spelling {
    /// Levenshtein distance, case-insensitive, on Unicode scalars.
    public static func distance(_ a: String, _ b: String) -> Int {
        let s = Array(a.uppercased().unicodeScalars), t = Array(b.uppercased().unicodeScalars)
        var previous = Array(0...t.count)
        for (i, x) in s.enumerated() {
            var current = [i + 1] + [Int](repeating: 0, count: t.count)
            for (j, y) in t.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[t.count]
    }

    /// The Levenshtein distance of two uppercased words, nil once it is past `limit`.
    static func distance(_ s: [Unicode.Scalar], _ t: [Unicode.Scalar], within limit: Int) -> Int? {
        guard abs(s.count - t.count) <= limit else { return nil }
        var previous = Array(0...t.count)
        var current = [Int](repeating: 0, count: t.count + 1)
        for (i, x) in s.enumerated() {
            current[0] = i + 1
            var rowMin = current[0]
            for (j, y) in t.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
                rowMin = min(rowMin, current[j + 1])
            }
            // Every path to the end crosses this row: past the limit here, past it there.
            if rowMin > limit { return nil }
            swap(&previous, &current)
        }
        return previous[t.count] <= limit ? previous[t.count] : nil
    }

    /// The `count` candidates closest to `word` (distance, then name).
    public static func closest(to word: String, in candidates: [String], count: Int) -> [String] {
        candidates.map { ($0, distance(word, $0)) }.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .prefix(count).map(\.0)
    }

    /// The candidate to suggest for a misspelt `word`: one within a third of the word's
    /// length, or one holding every `_`-separated part of the word (`on_time_pct` →
    /// `on_time_delivery_pct`); nil when none is close.
    ///
    /// The closest candidate is looked for only among those within reach: one whose length
    /// differs by more than the limit is skipped, and a distance is given up once a whole
    /// row of it is past the limit (thousands of receipt references per unknown one).
    public static func nearest(to word: String, in candidates: [String]) -> String? {
        let limit = max(2, word.count / 3)
        let s = Array(word.uppercased().unicodeScalars)
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            // An ASCII name keeps its length uppercased: skipped unless within reach.
            if candidate.utf8.allSatisfy({ $0 < 0x80 }), abs(candidate.utf8.count - s.count) > limit { continue }
            guard let d = distance(s, Array(candidate.uppercased().unicodeScalars), within: limit) else { continue }
            if best == nil || d < best!.distance || (d == best!.distance && candidate < best!.name) { best = (candidate, d) }
        }
        if let best { return best.name }
        let parts = word.lowercased().split(separator: "_").map(String.init)
        guard parts.count > 1 else { return nil }
        return candidates.first { candidate in
            let theirs = Set(candidate.lowercased().split(separator: "_").map(String.init))
            return parts.allSatisfy(theirs.contains)
        }
    }
}
