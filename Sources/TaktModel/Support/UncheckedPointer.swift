/// A pointer handed to the cores that each write their own part of what it points to
/// (the MRP's joined orders, `Workers.array`'s pieces): the parts do not overlap,
/// and the caller reads the whole only once every core is done.
package struct UncheckedPointer<T>: @unchecked Sendable {
    package let value: UnsafeMutablePointer<T>?
    package init(_ value: UnsafeMutablePointer<T>?) { self.value = value }
}
