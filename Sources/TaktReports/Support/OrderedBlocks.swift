import Foundation

/// The blocks of one file rendered by several threads and written in order by one of them:
/// `take` hands out the next block to render; a block the writer is not yet at is
/// `deposit`ed rendered and waits, in memory, for its turn (`awaitBlock`). A helper stays
/// fewer than `lookahead` blocks ahead of the writer (at 1M items a supplier's block is
/// about 2 MB, and a helper freed early ran hundreds ahead); the writer itself renders
/// ahead only while a helper holds the block it is at.
package final class OrderedBlocks: @unchecked Sendable {
    private let condition = NSCondition()
    private var nextToTake = 0
    /// The block the writer is at.
    private var writing = 0
    private var held: [Int: [[UInt8]]] = [:]
    private var stopped = false
    /// `write` has been called (it may be only once: a second writer would wait forever
    /// for blocks the first one emitted).
    private var writerStarted = false
    package let count: Int
    package let lookahead: Int

    package init(count: Int, lookahead: Int = 16) {
        precondition(lookahead >= 1, "a helper must be let ahead by at least one block")
        self.count = count
        self.lookahead = lookahead
    }

    /// The next block nobody has taken, or nil when all are taken (or the writer stopped).
    /// A helper (not the writer) waits while it would be `lookahead` blocks ahead; with
    /// `leavingAnUnstartedWriter`, it gets nil there instead while the writer has not
    /// started (it may run first on the same thread).
    package func take(helping: Bool = false, leavingAnUnstartedWriter: Bool = false) -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while helping, !stopped, nextToTake < count, nextToTake - writing >= lookahead {
            if leavingAnUnstartedWriter && !writerStarted { return nil }
            condition.wait()
        }
        guard !stopped, nextToTake < count else { return nil }
        nextToTake += 1
        return nextToTake - 1
    }

    /// The writer is at block `block` now.
    private func advance(to block: Int) {
        condition.lock()
        writing = block
        condition.broadcast()
        condition.unlock()
    }

    /// A block rendered by a thread that does not write.
    package func deposit(_ block: Int, _ chunks: [[UInt8]]) {
        condition.lock()
        held[block] = chunks
        condition.broadcast()
        condition.unlock()
    }

    /// Block `block`'s chunks once deposited (the writer waits for it).
    package func awaitBlock(_ block: Int) -> [[UInt8]] {
        condition.lock()
        defer { condition.unlock() }
        while held[block] == nil { condition.wait() }
        return held.removeValue(forKey: block)!
    }

    /// The deposited chunks of `block`, if they are there.
    package func ready(_ block: Int) -> [[UInt8]]? {
        condition.lock()
        defer { condition.unlock() }
        return held.removeValue(forKey: block)
    }

    /// No more blocks are handed out (the writer failed).
    package func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Writes every block in order through `emit`, rendering with `render` the ones this
    /// thread takes; other threads may `help` at the same time.
    package func write(render: (Int, ([UInt8]) throws -> Void) throws -> Void, emit: ([UInt8]) throws -> Void) throws {
        // Swift refuses a non-escaping `emit` passed on to the non-escaping `render`
        // (re-entrant modification); it never outlives this call.
        try withoutActuallyEscaping(emit) { emit in try write(render: render, escapingEmit: emit) }
    }

    private func write(render: (Int, ([UInt8]) throws -> Void) throws -> Void,
                       escapingEmit emit: @escaping ([UInt8]) throws -> Void) throws {
        condition.lock()
        precondition(!writerStarted, "the blocks of a file are written once")
        writerStarted = true
        condition.unlock()
        do {
            var next = 0
            while next < count {
                advance(to: next)
                if let chunks = ready(next) {
                    for chunk in chunks { try emit(chunk) }
                    next += 1
                } else if let block = take() {
                    if block == next {
                        try render(block, emit)
                        next += 1
                    } else {
                        var chunks: [[UInt8]] = []
                        try render(block) { chunks.append($0) }
                        deposit(block, chunks)
                    }
                } else {
                    for chunk in awaitBlock(next) { try emit(chunk) }
                    next += 1
                }
            }
        } catch {
            stop()
            throw error
        }
    }

    /// Renders blocks into memory for the writer until none is left to take. With
    /// `leavingAnUnstartedWriter`, it stops once `lookahead` blocks ahead of a writer that
    /// has not started, rather than wait for it: a helper that may run before the writer,
    /// on the same thread (`Workers.beside` of workers that run one thing at a time,
    /// whatever their width), never waits for it.
    package func help(leavingAnUnstartedWriter: Bool = false, render: (Int, ([UInt8]) -> Void) -> Void) {
        while let block = take(helping: true, leavingAnUnstartedWriter: leavingAnUnstartedWriter) {
            var chunks: [[UInt8]] = []
            render(block) { chunks.append($0) }
            deposit(block, chunks)
        }
    }
}
