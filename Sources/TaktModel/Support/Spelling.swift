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

    /// The `count` candidates closest to `word` (distance, then name).
    public static func closest(to word: String, in candidates: [String], count: Int) -> [String] {
        candidates.map { ($0, distance(word, $0)) }.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .prefix(count).map(\.0)
    }

    /// The candidate to suggest for a misspelt `word`: one within a third of the word's
    /// length, or one holding every `_`-separated part of the word (`on_time_pct` →
    /// `on_time_delivery_pct`); nil when none is close.
    public static func nearest(to word: String, in candidates: [String]) -> String? {
        if let best = closest(to: word, in: candidates, count: 1).first, distance(word, best) <= max(2, word.count / 3) {
            return best
        }
        let parts = word.lowercased().split(separator: "_").map(String.init)
        guard parts.count > 1 else { return nil }
        return candidates.first { candidate in
            let theirs = Set(candidate.lowercased().split(separator: "_").map(String.init))
            return parts.allSatisfy(theirs.contains)
        }
    }
}
