/// Names made safe for files and folders: the LP files of `--write-lp` and the run
/// folders of `takt whatif`.
public enum FileNames {
    /// `name` with every character other than ASCII letters, digits, `.`, `-` and `_`
    /// replaced by `_`; an empty name or one starting with `.` gets a `phase` prefix
    /// (`Ramp I` → `Ramp_I`).
    public static func stem(_ name: String) -> String {
        let safe = name.unicodeScalars.map { s -> Character in
            (s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "-" || s == "_" || s == "."))
                ? Character(s) : "_"
        }
        let stem = String(safe)
        return stem.isEmpty || stem.hasPrefix(".") ? "phase" + stem : stem
    }
}
