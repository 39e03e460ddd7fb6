import TaktModel

/// Last week's purchase suggestions, compact: a million rows at 100k items, so names are
/// kept once (`names`) and each row is four numbers.
public struct PurchaseList: Sendable {
    /// Distinct supplier and item names; rows refer to them by index.
    public private(set) var names: [String] = []
    private var index: [String: Int32] = [:]
    public private(set) var supplier: [Int32] = []
    public private(set) var item: [Int32] = []
    public private(set) var quantity: [Double] = []
    /// Need date as a day number.
    public private(set) var needDay: [Int32] = []
    /// Order date as a day number (the need date when not known).
    public private(set) var orderDay: [Int32] = []
    /// Whether the suggestion was already late (released past due).
    public private(set) var late: [Bool] = []
    /// Whether the rows came with their order dates and lateness (an older output folder's
    /// purchase_suggestions.csv may lack them).
    public private(set) var knowsOrderDates = false

    public init() {}

    public var count: Int { quantity.count }

    /// The index of `name` in `names`, added when new.
    public mutating func intern(_ name: String) -> Int32 {
        if let k = index[name] { return k }
        let k = Int32(names.count)
        names.append(name)
        index[name] = k
        return k
    }

    public mutating func append(supplier: Int32, item: Int32, quantity: Double, needDate: Day, orderDate: Day? = nil, late: Bool = false) {
        self.supplier.append(supplier)
        self.item.append(item)
        self.quantity.append(quantity)
        needDay.append(Int32(needDate.number))
        orderDay.append(Int32((orderDate ?? needDate).number))
        if orderDate != nil { knowsOrderDates = true }
        self.late.append(late)
    }

    public mutating func append(supplier: String, item: String, quantity: Double, needDate: Day, orderDate: Day? = nil, late: Bool = false) {
        append(supplier: intern(supplier), item: intern(item), quantity: quantity, needDate: needDate, orderDate: orderDate, late: late)
    }
}
