/// A loaded, validated model folder (contract §1): everything planning reads.
///
/// Value semantics: a what-if scenario copies the model and changes the copy; the large
/// arrays are shared until written (copy-on-write).
public struct PlanningModel: Sendable {
    public var folder: String
    public var plan: PlanSettings
    public var items: ItemTable
    public var bom: BOM
    /// Low-level code of each item (§2): the deepest BOM level it appears at; 0 for end items.
    public var lowLevelCode: ContiguousArray<Int>
    /// Items sorted by low-level code, then id: the order MRP plans them in.
    public var planningOrder: ContiguousArray<Int>
    public var receipts: [OpenReceipt]
    public var demand: [DemandRow]
    public var supplierNames: [String]
    public var offers: [SupplierOffer]
    /// CSR of offers by item: `offerByItem[offerStart[i]..<offerStart[i+1]]`.
    public var offerStart: ContiguousArray<Int>
    public var offerByItem: ContiguousArray<Int>
    public var workcenters: [WorkCenter]
    public var routings: [RoutingStep]
    public var gateCriteria: [GateCriterionRow]
    public var decisions: [DecisionRow]
    /// SHA-256 of each input file read, by file name (for summary.json).
    public var inputDigests: [String: String]
    /// The scenarios applied on top of the files, in order (summary.json's `scenarios`,
    /// contract §4: the inputs' digests).
    public var scenarios: [AppliedScenario] = []
    /// `items.caseRepeats()` as the loader found it (beside the BOM's index); nil: not
    /// looked for yet (`PlanWarnings` then looks).
    public var caseRepeats: [CaseRepeat]?

    package init(folder: String, plan: PlanSettings, items: ItemTable, bom: BOM, lowLevelCode: ContiguousArray<Int>, planningOrder: ContiguousArray<Int>, receipts: [OpenReceipt], demand: [DemandRow], supplierNames: [String], offers: [SupplierOffer], offerStart: ContiguousArray<Int>, offerByItem: ContiguousArray<Int>, workcenters: [WorkCenter], routings: [RoutingStep], gateCriteria: [GateCriterionRow], decisions: [DecisionRow], inputDigests: [String: String]) {
        self.folder = folder
        self.plan = plan
        self.items = items
        self.bom = bom
        self.lowLevelCode = lowLevelCode
        self.planningOrder = planningOrder
        self.receipts = receipts
        self.demand = demand
        self.supplierNames = supplierNames
        self.offers = offers
        self.offerStart = offerStart
        self.offerByItem = offerByItem
        self.workcenters = workcenters
        self.routings = routings
        self.gateCriteria = gateCriteria
        self.decisions = decisions
        self.inputDigests = inputDigests
    }

    /// Deepest low-level code.
    public var maxLevel: Int { lowLevelCode.max() ?? 0 }

    /// `planningOrder` cut into its levels (one low-level code each), shallowest first: the
    /// MRP nets them in this order, the run hours add them up in the reverse one.
    public func levelRanges() -> [Range<Int>] {
        var levels: [Range<Int>] = []
        var from = 0
        while from < planningOrder.count {
            var to = from + 1
            while to < planningOrder.count, lowLevelCode[planningOrder[to]] == lowLevelCode[planningOrder[from]] { to += 1 }
            levels.append(from..<to)
            from = to
        }
        return levels
    }

    /// Rebuilds the offer index after `offers` changed.
    public mutating func indexOffers() {
        (offerStart, offerByItem) = Self.offerIndex(offers, itemCount: items.count)
    }

    /// The offer index of `offers` (`offerStart`, `offerByItem`): a stable counting sort by item.
    public static func offerIndex(_ offers: [SupplierOffer], itemCount: Int) -> (start: ContiguousArray<Int>, order: ContiguousArray<Int>) {
        var start = ContiguousArray<Int>(repeating: 0, count: itemCount + 1)
        for offer in offers { start[offer.item + 1] += 1 }
        for i in 0..<itemCount { start[i + 1] += start[i] }
        var fill = start
        var order = ContiguousArray<Int>(repeating: 0, count: offers.count)
        for (k, offer) in offers.enumerated() {
            order[fill[offer.item]] = k
            fill[offer.item] += 1
        }
        return (start, order)
    }
}

/// A scenario applied to a model: its name, its file's name (not its path: copies of one
/// file in other folders are the same scenario) and the SHA-256 of its bytes.
public struct AppliedScenario: Sendable, Equatable {
    public var name: String
    public var file: String
    public var sha256: String

    public init(name: String, file: String, sha256: String) {
        (self.name, self.file, self.sha256) = (name, file, sha256)
    }
}
