import XCTest
@testable import TaktModel
@testable import TaktGenerate

/// `Spelling.nearest`: the candidate closest to a misspelt word (distance, then name), when
/// within a third of its length; the search skips candidates out of reach and gives a
/// distance up once it is past the limit, and must find what a full search finds.
final class SpellingTests: XCTestCase {
    /// The full search: every distance worked out, the closest kept if within the limit.
    func fullSearch(_ word: String, _ candidates: [String]) -> String? {
        guard let best = Spelling.closest(to: word, in: candidates, count: 1).first,
              Spelling.distance(word, best) <= max(2, word.count / 3) else { return nil }
        return best
    }

    /// The generator's SplitMix64: the same words on every run.
    struct Seeded: RandomNumberGenerator {
        var inner = SeededRandom(seed: 27)
        mutating func next() -> UInt64 { inner.next() }
    }

    func testNearestIsWhatAFullSearchFinds() {
        var generator = Seeded()
        let letters = Array("ABCO-01ßé")
        func word(_ length: Int) -> String { String((0..<length).map { _ in letters.randomElement(using: &generator)! }) }
        for _ in 0..<300 {
            let candidates = (0..<40).map { _ in word(Int.random(in: 1...9, using: &generator)) }
            let misspelt = Bool.random(using: &generator) ? word(Int.random(in: 1...10, using: &generator))
                : String(candidates.randomElement(using: &generator)!.dropLast()) + "X"
            XCTAssertEqual(Spelling.nearest(to: misspelt, in: candidates), fullSearch(misspelt, candidates), "\(misspelt) in \(candidates)")
        }
    }

    func testNearestSuggestsTheCloseOnesOnly() {
        XCTAssertEqual(Spelling.nearest(to: "PO-1O03", in: ["PO-1003", "PO-1004", "PO-2003"]), "PO-1003")
        XCTAssertEqual(Spelling.nearest(to: "po-1003", in: ["PO-1004", "PO-1003"]), "PO-1003", "case does not count")
        XCTAssertNil(Spelling.nearest(to: "XYZ-999", in: ["PO-1003", "PO-1004"]))
        XCTAssertEqual(Spelling.nearest(to: "on_time_pct", in: ["cost_per_unit", "on_time_delivery_pct"]), "on_time_delivery_pct",
                       "every part held")
    }
}
