/// Names made into file and folder names: a phase's LP file (`lp/PHASE.lp`, contract §4)
/// and a what-if run's folder (`DIR/SCENARIO/`, §3).
public enum FileNames {
    /// The longest stem kept, in UTF-8 bytes: room under the usual 255-byte limit of a file
    /// name for a `-N` suffix, `.lp`, and the temporary folder's prefix and process id.
    static let maxBytes = 200

    /// `name` as it is where the file system allows it, so that the file or folder is
    /// found by the name the plan gives (`Ramp I` → `Ramp I`, `café` → `café`). Only what
    /// no file name may hold, or what would change where it lands, is replaced by `_`: `/`,
    /// `\`, NUL and the control characters. An empty name, or one starting with `.` (`.`,
    /// `..`, a hidden file), gets a `phase` prefix; a name over `maxBytes` bytes is cut at
    /// a character's end.
    public static func stem(_ name: String) -> String {
        var stem = ""
        var bytes = 0
        for character in name {
            let safe: Character = character.unicodeScalars.contains { s in
                s == "/" || s == "\\" || s.value < 0x20 || s.value == 0x7F
            } ? "_" : character
            let size = safe.utf8.count
            if bytes + size > maxBytes { break }
            stem.append(safe)
            bytes += size
        }
        return stem.isEmpty || stem.hasPrefix(".") ? "phase" + stem : stem
    }
}
