/// The tolerance of quantity comparisons (contract §2): `A < SS - 1e-9` orders, and a
/// rounding up to a multiple ignores an excess of up to 1e-9.
public enum Tolerance {
    public static let quantity = 1e-9
}
