import Foundation
import TaktModel
import TaktInput
import TaktPlanning

/// The folder `takt release` writes (see `OrderRelease`) — the model as it will be, ready
/// to plan:
/// - the model's `plan.yaml` and CSV files, byte for byte, but for
/// - `receipts.csv`: the model's `receipts.csv` as it is — every column and row, in its
///   order — with one row per released order appended (`item`, `quantity`, `due_date`,
///   `reference` = the order's id, `supplier`; a `reference` or `supplier` column the file
///   lacks is added, empty on the old rows);
/// - `released.csv`: `id,kind,item,supplier,order_quantity,quantity,uom,release_date,due_date,receipt_date`,
///   one row per released order, then the orders that cannot arrive within the horizon
///   with an empty `receipt_date` (not released);
/// - `summary.json`: `takt_output` `release`, the date, and the counts.
public enum ReleaseFiles {
    /// Every file of the folder; throws `InputError` when the model's receipts.csv cannot
    /// be read again (it changed since the plan).
    public static func files(_ result: PlanResult, through: Day, released: [OrderRelease.Released], unreachable: [Int]) throws -> [String: [UInt8]] {
        let model = result.model, mrp = result.mrp
        let names = model.items.names
        let starts = mrp.calendar.bucketStart
        // The model's file, verbatim but for the columns added.
        var header = ["item", "quantity", "due_date", "reference", "supplier"]
        var rows: [[String]] = []
        let path = model.folder + "/receipts.csv"
        if let data = FileManager.default.contents(atPath: path) {
            var sink = DiagnosticSink()
            guard let table = CSVTable.parse([UInt8](data), file: path, sink: &sink), sink.isEmpty else {
                throw InputError(sink.diagnostics)
            }
            header = table.header
            for column in ["reference", "supplier"] where !header.contains(column) { header.append(column) }
            for row in 0..<table.rowCount {
                rows.append(header.indices.map { $0 < table.fieldCount(row) ? table.string(row, $0) : "" })
            }
        }
        // The first column of each name (a header may repeat an empty name: `a,b,,`).
        let column = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var receipts = CSVWriter(header: header)
        for row in rows {
            for field in row { receipts.field(field) }
            receipts.endRow()
        }
        var listing = CSVWriter(header: ["id", "kind", "item", "supplier", "order_quantity", "quantity", "uom", "release_date", "due_date", "receipt_date"])
        for entry in released {
            let order = mrp.orders[entry.order]
            var fields = [String](repeating: "", count: header.count)
            fields[column["item"]!] = names[order.item]
            fields[column["quantity"]!] = NumberFormat.quantity(order.receiptQuantity)
            fields[column["due_date"]!] = entry.receiptDate.description
            fields[column["reference"]!] = entry.id
            fields[column["supplier"]!] = entry.supplier.map { model.supplierNames[$0] } ?? ""
            for field in fields { receipts.field(field) }
            receipts.endRow()
            row(&listing, id: entry.id, order: order, supplier: entry.supplier, receipt: entry.receiptDate)
        }
        for o in unreachable {
            row(&listing, id: "", order: mrp.orders[o], supplier: nil, receipt: nil)
        }
        func row(_ writer: inout CSVWriter, id: String, order: PlannedOrder, supplier: Int?, receipt: Day?) {
            writer.field(id)
            writer.field(order.kind == .buy ? "buy" : "make")
            writer.field(names[order.item])
            writer.field(supplier.map { model.supplierNames[$0] } ?? "")
            writer.field(order.quantity)
            writer.field(order.receiptQuantity)
            writer.field(model.items.uom(order.item))
            writer.field(order.pastDue ? "past due" : starts[order.releaseBucket].description)
            writer.field(starts[order.dueBucket])
            writer.field(receipt?.description ?? "")
            writer.endRow()
        }
        let summary = JSONValue.object([
            ("takt_output", .string("release")),
            ("model", .string(model.folder)),
            ("plan_date", .string(model.plan.start.description)),
            ("through", .string(through.description)),
            ("released", .integer(released.count)),
            ("not_released_beyond_horizon", .integer(unreachable.count)),
        ])
        var files = ["receipts.csv": receipts.bytes, "released.csv": listing.bytes, "summary.json": Array(summary.rendered().utf8)]
        for name in ["plan.yaml"] + ModelLoader.csvFiles where name != "receipts.csv" {
            if let data = FileManager.default.contents(atPath: model.folder + "/" + name) { files[name] = [UInt8](data) }
        }
        return files
    }
}
