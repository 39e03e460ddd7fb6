/// A column of integers held in 32 bits and read as `Int`: the BOM's ids, lines and
/// indexes (1.8 million lines at 1M items, in five id columns and two indexes: half the
/// bytes of `ContiguousArray<Int>`). Every value must fit in 32 bits.
public struct Int32Column: Sendable, RandomAccessCollection, MutableCollection, Equatable, ExpressibleByArrayLiteral {
    public private(set) var storage: ContiguousArray<Int32>

    public init() { storage = [] }

    public init(arrayLiteral values: Int...) { self.init(values) }

    public init(_ values: some Sequence<Int>) {
        storage = ContiguousArray(values.lazy.map(Self.packed))
    }

    public init(repeating value: Int, count: Int) {
        storage = ContiguousArray(repeating: Self.packed(value), count: count)
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { storage.count }

    public subscript(k: Int) -> Int {
        @inlinable @inline(__always) get { Int(storage[k]) }
        @inline(__always) set { storage[k] = Self.packed(newValue) }
    }

    public mutating func append(_ value: Int) { storage.append(Self.packed(value)) }

    public mutating func append(contentsOf other: Int32Column) { storage.append(contentsOf: other.storage) }

    public mutating func reserveCapacity(_ count: Int) { storage.reserveCapacity(count) }

    @inline(__always)
    static func packed(_ value: Int) -> Int32 {
        precondition(value >= Int(Int32.min) && value <= Int(Int32.max), "\(value) does not fit a 32-bit column")
        return Int32(truncatingIfNeeded: value)
    }
}

/// A column of day numbers held in 32 bits, with open ends: `Int.min` and `Int.max` (a
/// BOM line's open `effective_from` and `effective_to`) are held as `Int32.min` and
/// `Int32.max` and read back as themselves; any other day lies strictly between those.
public struct DayBoundColumn: Sendable, RandomAccessCollection, Equatable {
    public private(set) var storage: ContiguousArray<Int32> = []

    public init() {}

    public init(_ values: some Sequence<Int>) {
        storage = ContiguousArray(values.lazy.map(Self.packed))
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { storage.count }

    public subscript(k: Int) -> Int {
        @inlinable @inline(__always) get { Self.unpacked(storage[k]) }
    }

    public mutating func append(_ value: Int) { storage.append(Self.packed(value)) }

    public mutating func append(contentsOf other: DayBoundColumn) { storage.append(contentsOf: other.storage) }

    public mutating func reserveCapacity(_ count: Int) { storage.reserveCapacity(count) }

    @inline(__always)
    static func packed(_ value: Int) -> Int32 {
        if value == .min { return .min }
        if value == .max { return .max }
        precondition(value > Int(Int32.min) && value < Int(Int32.max), "day \(value) does not fit a 32-bit column")
        return Int32(truncatingIfNeeded: value)
    }

    @usableFromInline @inline(__always)
    static func unpacked(_ value: Int32) -> Int {
        value == .min ? .min : value == .max ? .max : Int(value)
    }
}

/// An `Int` field held in 32 bits: the ids and file lines of records kept by the million
/// (supplier offers, exceptions, supplier entries). Every value must fit in 32 bits.
@propertyWrapper
public struct Int32Field: Sendable, Hashable {
    private var value: Int32

    public init(wrappedValue: Int) { value = Int32(wrappedValue) }

    public var wrappedValue: Int {
        @inline(__always) get { Int(value) }
        set { value = Int32(newValue) }
    }
}
