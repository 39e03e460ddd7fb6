import XCTest
import CHeap
@testable import TaktRun

/// When the command line starts itself again with the heap on huge pages (`HugePages`).
final class HugePagesTests: XCTestCase {
    func testRestartsOnlyWhenTheSystemLeavesHugePagesToThePrograms() {
        let madvise = "always [madvise] never\n"
        // The mode file's text: the chosen mode in brackets.
        XCTAssertTrue(HugePages.shouldRestart(tunables: nil, marker: nil, mode: madvise))
        XCTAssertFalse(HugePages.shouldRestart(tunables: nil, marker: nil, mode: "[always] madvise never\n"))
        XCTAssertFalse(HugePages.shouldRestart(tunables: nil, marker: nil, mode: "always madvise [never]\n"))
        // No mode file (another system, a container without /sys): as started.
        XCTAssertFalse(HugePages.shouldRestart(tunables: nil, marker: nil, mode: nil))
        // Tunables already set, by the user or by the restart itself: left as they are.
        XCTAssertFalse(HugePages.shouldRestart(tunables: HugePages.tunable, marker: nil, mode: madvise))
        XCTAssertFalse(HugePages.shouldRestart(tunables: "glibc.malloc.hugetlb=0", marker: nil, mode: madvise))
        XCTAssertFalse(HugePages.shouldRestart(tunables: "", marker: nil, mode: madvise))
        // The restarted process never starts again, even where the C library dropped the
        // variable (a secure-mode start).
        XCTAssertFalse(HugePages.shouldRestart(tunables: nil, marker: "1", mode: madvise))
    }

    /// This test process was started by its runner the ordinary way: through the ELF
    /// interpreter, not setuid; and this machine's glibc has the tunable (2.35 or later).
    func testTheCLibrarysSideOfTheRestart() throws {
        XCTAssertEqual(takt_restart_is_safe(), 1)
        let version = String(cString: gnu_get_libc_version()).split(separator: ".").compactMap { Int($0) }
        XCTAssertEqual(takt_heap_has_hugetlb_tunable(), version.lexicographicallyPrecedes([2, 35]) ? 0 : 1, "\(version)")
    }
}
