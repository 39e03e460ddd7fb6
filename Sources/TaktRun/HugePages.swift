import CHeap
import Foundation

/// Runs the heap on transparent huge pages (2 MB) where the system leaves them to the
/// program (`/sys/kernel/mm/transparent_hugepage/enabled` set to `madvise`, the usual
/// default): glibc (2.35 and later) asks for them on its mappings when started with the
/// tunable `glibc.malloc.hugetlb=1`, which it reads from `GLIBC_TUNABLES` only as the
/// process starts. So the command line, first thing, starts itself again (`execv` of
/// `/proc/self/exe`, same arguments) with that variable set.
///
/// A large run touches hundreds of megabytes once each: in 4 KB pages that is a page fault
/// every 4 KB, in huge pages one every 2 MB, for a few percent more resident memory and
/// the same outputs (docs/performance.md, eighth round, has the figures).
///
/// No restart when it would not help or not be the same program: a `GLIBC_TUNABLES`
/// already set is left as it is (`GLIBC_TUNABLES=glibc.malloc.hugetlb=0` runs without:
/// debuggers and profilers that do not follow an `exec` want that); with the mode `always`
/// there is nothing to ask for, with `never` nothing to get; an older glibc has no such
/// tunable; a program started as `ld.so takt …` would restart the loader, and a setuid one
/// may have the variable stripped. `restarted` marks the restarted process, so that it
/// never starts again whatever the C library does with the variable; where the restart
/// fails the process simply goes on as it is.
public enum HugePages {
    /// The variable glibc reads its tunables from, and what the restart puts in it.
    static let variable = "GLIBC_TUNABLES"
    static let tunable = "glibc.malloc.hugetlb=1"
    /// Set in the restarted process.
    static let restarted = "TAKT_HEAP_RESTARTED"

    /// Where Linux says when a program gets transparent huge pages.
    static let modeFile = "/sys/kernel/mm/transparent_hugepage/enabled"

    /// The system's mode (`modeFile`'s text, the chosen one in brackets), nil where it
    /// cannot be read.
    static var mode: String? { try? String(contentsOfFile: modeFile, encoding: .utf8) }

    /// An environment variable's value, nil when it is not set.
    static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    /// Whether to start again with `tunable`: only when neither the variable nor the
    /// marker is set and the system's mode (`modeFile`'s text, the chosen one in
    /// brackets) is `madvise`. The C library's side (`takt_heap_has_hugetlb_tunable`,
    /// `takt_restart_is_safe`) is checked apart.
    static func shouldRestart(tunables: String?, marker: String?, mode: String?) -> Bool {
        guard tunables == nil, marker == nil, let mode else { return false }
        return mode.contains("[madvise]")
    }

    /// Whether this process's heap asks for huge pages, in words (`takt bench` says it: the
    /// figures of one machine and another compare only alike): "huge pages" when the
    /// system gives them to every program, or glibc reads the tunable and was started with
    /// it, else "4 KB pages".
    public static var heapPages: String {
        #if os(Linux)
        let mode = Self.mode ?? ""
        let tunables = environment(variable) ?? ""
        let asked = mode.contains("[madvise]") && takt_heap_has_hugetlb_tunable() != 0
            && tunables.split(separator: ":").contains { $0 == tunable }
        return mode.contains("[always]") || asked ? "huge pages" : "4 KB pages"
        #else
        return "the system's pages"
        #endif
    }

    /// Starts this program again with huge pages asked for, when `shouldRestart` says so
    /// and the C library allows; returns when it does not, or when the restart fails.
    public static func restartIfUseful() {
        #if os(Linux)
        guard takt_heap_has_hugetlb_tunable() != 0, takt_restart_is_safe() != 0,
              shouldRestart(tunables: environment(variable), marker: environment(restarted), mode: mode),
              setenv(variable, tunable, 0) == 0, setenv(restarted, "1", 0) == 0 else { return }
        _ = execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Still here: the restart failed. Go on as started, without leaving the variables
        // for child processes to inherit.
        unsetenv(variable)
        unsetenv(restarted)
        #endif
    }
}
