/// A flat buffer that several threads write at disjoint places — each item its own row of
/// buckets, each open receipt its own slot — while the MRP plans one level's items on all
/// cores. Nothing guards the accesses: the callers keep them disjoint.
package final class SharedBuffer<Element>: @unchecked Sendable {
    package let pointer: UnsafeMutableBufferPointer<Element>

    package init(repeating value: Element, count: Int) {
        pointer = .allocate(capacity: count)
        pointer.initialize(repeating: value)
    }

    /// A buffer left unwritten, for plain values (numbers) whose every slot the caller
    /// writes before any is read.
    package init(unwrittenCount count: Int) {
        precondition(_isPOD(Element.self), "only plain values may start unwritten")
        pointer = .allocate(capacity: count)
    }

    deinit {
        pointer.deinitialize()
        pointer.deallocate()
    }

    var count: Int { pointer.count }

    package subscript(_ k: Int) -> Element {
        @inline(__always) get { pointer[k] }
        @inline(__always) set { pointer[k] = newValue }
    }

    /// A copy as an array (for the result).
    package func array() -> ContiguousArray<Element> { ContiguousArray(pointer) }
}
