import Foundation

/// The owners' names that risks refer to by number (`RiskRecord.owner`): the millions of
/// risks of a stress-shaped model share a handful of owners (the escalation levels' and the
/// gate criteria's), 4 bytes a risk as a number where a `String` took 16. Numbered for the
/// life of the process, in the order first seen: a name keeps its number, so records with
/// the same owner compare and hash alike. Names are told apart by their UTF-8 bytes, as
/// every name in the model is (`String`'s `==` would take two spellings of "José", one
/// with a combining accent, as one name, and write back whichever came first).
enum OwnerNames {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var names: [String] = [""]
    nonisolated(unsafe) private static var numbers: [[UInt8]: Int32] = [[]: 0]

    /// The number of `name`, given it the first time.
    static func number(_ name: String) -> Int32 {
        let bytes = Array(name.utf8)
        lock.lock()
        defer { lock.unlock() }
        if let number = numbers[bytes] { return number }
        let number = Int32(names.count)
        names.append(name)
        numbers[bytes] = number
        return number
    }

    /// The name numbered `number`.
    static func name(_ number: Int32) -> String {
        lock.lock()
        defer { lock.unlock() }
        return names[Int(number)]
    }
}
