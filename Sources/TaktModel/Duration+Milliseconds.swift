extension Duration {
    /// The duration in milliseconds, for the timings of `summary.json`.
    public var milliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
