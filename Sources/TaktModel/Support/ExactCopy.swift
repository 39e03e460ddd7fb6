extension Array {
    /// A copy of `elements` in storage of its own, sized to them.
    ///
    /// `Array(buffer)` or `Array(buffer.prefix(n))` can share a reused buffer's storage
    /// (whole capacity and all) instead of copying; kept for millions of items or
    /// shortages, that storage is the largest one's capacity each time.
    package init(exactCopyOf elements: some Collection<Element>) {
        self.init(unsafeUninitializedCapacity: elements.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: elements)
        }
    }
}
