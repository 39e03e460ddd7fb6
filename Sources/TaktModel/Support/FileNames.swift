/// Names made into file and folder names: a phase's LP file (`lp/PHASE.lp`, contract §4)
/// and a what-if run's folder (`DIR/SCENARIO/`, §3).
public enum FileNames {
    /// The longest stem kept, in UTF-8 bytes: room under the usual 255-byte limit of a file
    /// name for a `-N` suffix, `.lp`, and the temporary folder's prefix and process id.
    static let maxBytes = 200

    /// `name` as it is where the file system allows it, so that the file or folder is
    /// found by the name the plan gives (`Ramp I` → `Ramp I`, `café` → `café`). Only what
    /// no file name may hold, or what would change where it lands or how it reads, is
    /// replaced by `_`: `/`, `\`, and the control, format (a right-to-left override) and
    /// line or paragraph separator characters. An empty name, or one whose first byte is
    /// `.` (`.`, `..`, a hidden file), gets a `phase` prefix; a name over `maxBytes` bytes
    /// is cut at a character's end.
    public static func stem(_ name: String) -> String {
        var stem = ""
        var bytes = 0
        for character in name {
            let safe: Character = character.unicodeScalars.contains { s in
                if s == "/" || s == "\\" { return true }
                switch s.properties.generalCategory {
                case .control, .format, .lineSeparator, .paragraphSeparator: return true
                default: return false
                }
            } ? "_" : character
            let size = safe.utf8.count
            if bytes + size > maxBytes { break }
            stem.append(safe)
            bytes += size
        }
        return stem.utf8.first.map { $0 == UInt8(ascii: ".") } ?? true ? "phase" + stem : stem
    }

    /// What two names are compared by, as folders or files: on a file system that ignores
    /// case (macOS's, Windows's) `Ramp I` and `ramp i` are one name.
    public static func key(_ name: String) -> String { name.lowercased() }

    /// Each name's `stem`, unique by `key`: a taken stem becomes `nth(stem, 2)`, `nth(stem,
    /// 3)` … until free. Names that are file names as written claim theirs first, in order;
    /// the names that had to change come after, so a phase `A_B` keeps `A_B` beside a phase
    /// `A/B` (which gets `A_B-2`), whichever comes first.
    public static func unique(_ names: [String], nth: (String, Int) -> String) -> [String] {
        var taken: Set<String> = []
        var result = [String?](repeating: nil, count: names.count)
        for asWritten in [true, false] {
            for (k, name) in names.enumerated() where result[k] == nil {
                let stem = stem(name)
                guard (stem == name) == asWritten else { continue }
                var chosen = stem, n = 1
                while taken.contains(key(chosen)) {
                    n += 1
                    chosen = nth(stem, n)
                }
                taken.insert(key(chosen))
                result[k] = chosen
            }
        }
        return result.map { $0! }
    }
}
