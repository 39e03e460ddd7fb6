import XCTest
@testable import TaktRun

/// When the command line starts itself again with the heap on huge pages (`HugePages`).
final class HugePagesTests: XCTestCase {
    func testRestartsOnlyWhenTheSystemLeavesHugePagesToThePrograms() {
        // The mode file's text: the chosen mode in brackets.
        XCTAssertTrue(HugePages.shouldRestart(tunables: nil, mode: "always [madvise] never\n"))
        XCTAssertFalse(HugePages.shouldRestart(tunables: nil, mode: "[always] madvise never\n"))
        XCTAssertFalse(HugePages.shouldRestart(tunables: nil, mode: "always madvise [never]\n"))
        // No mode file (another system, a container without /sys): as started.
        XCTAssertFalse(HugePages.shouldRestart(tunables: nil, mode: nil))
        // Tunables already set, by the user or by the restart itself: left as they are
        // (the restarted process must not start again).
        XCTAssertFalse(HugePages.shouldRestart(tunables: HugePages.tunable, mode: "always [madvise] never\n"))
        XCTAssertFalse(HugePages.shouldRestart(tunables: "glibc.malloc.hugetlb=0", mode: "always [madvise] never\n"))
        XCTAssertFalse(HugePages.shouldRestart(tunables: "", mode: "always [madvise] never\n"))
    }
}
