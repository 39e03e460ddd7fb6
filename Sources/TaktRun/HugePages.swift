import Foundation

/// Runs the heap on transparent huge pages (2 MB) where the system leaves them to the
/// program (`/sys/kernel/mm/transparent_hugepage/enabled` set to `madvise`, the usual
/// default): glibc asks for them on its mappings when started with the tunable
/// `glibc.malloc.hugetlb=1`, which it reads from `GLIBC_TUNABLES` only as the process
/// starts. So the command line, first thing, starts itself again (`execv` of
/// `/proc/self/exe`, same arguments) with that variable set.
///
/// A large run touches hundreds of megabytes once each; in 4 KB pages that is a page
/// fault every 4 KB (72 k faults and 0.30 s of system time for a 100k-item plan), in huge
/// pages one every 2 MB (35 k faults, 0.10 s). docs/performance.md, eighth round, has the
/// figures. Nothing else changes: the same outputs, a few percent more resident memory.
///
/// A `GLIBC_TUNABLES` already set is left as it is (so `GLIBC_TUNABLES=glibc.malloc.hugetlb=0`
/// runs without); with the mode `always` there is nothing to ask for, with `never` nothing
/// to get, and where the restart fails the process simply goes on as it is.
public enum HugePages {
    /// The variable glibc reads its tunables from, and what the restart puts in it.
    static let variable = "GLIBC_TUNABLES"
    static let tunable = "glibc.malloc.hugetlb=1"

    /// Where Linux says when a program gets transparent huge pages.
    static let modeFile = "/sys/kernel/mm/transparent_hugepage/enabled"

    /// Whether to start again with `tunable`: only when the variable is not set and the
    /// system's mode (`modeFile`'s text, the chosen one in brackets) is `madvise`.
    static func shouldRestart(tunables: String?, mode: String?) -> Bool {
        guard tunables == nil, let mode else { return false }
        return mode.contains("[madvise]")
    }

    /// Whether this process's heap is on huge pages, in words (`takt bench` says it: the
    /// figures of one machine and another compare only alike): "huge pages" when the
    /// system gives them to every program or glibc was started asking for them, else
    /// "4 KB pages".
    public static var heapPages: String {
        #if os(Linux)
        let mode = (try? String(contentsOfFile: modeFile, encoding: .utf8)) ?? ""
        let tunables = getenv(variable).map { String(cString: $0) } ?? ""
        let asked = mode.contains("[madvise]") && tunables.split(separator: ":").contains { $0 == tunable }
        return mode.contains("[always]") || asked ? "huge pages" : "4 KB pages"
        #else
        return "the system's pages"
        #endif
    }

    /// Starts this program again with huge pages asked for, when `shouldRestart` says so;
    /// returns when it does not, or when the restart fails.
    public static func restartIfUseful() {
        #if os(Linux)
        let tunables = getenv(variable).map { String(cString: $0) }
        let mode = try? String(contentsOfFile: modeFile, encoding: .utf8)
        guard shouldRestart(tunables: tunables, mode: mode) else { return }
        guard setenv(variable, tunable, 0) == 0 else { return }
        _ = execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Still here: the restart failed. Go on as started, without leaving the variable
        // for child processes to inherit.
        unsetenv(variable)
        #endif
    }
}
