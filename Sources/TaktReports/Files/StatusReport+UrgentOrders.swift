import TaktModel
import TaktPlanning

extension StatusReport {
    /// The planned orders the procurement actions and the next-week plan read: those past
    /// due and those released in the plan's first week, each list in planning order.
    /// Found in one pass over every order (millions on a large model), where each section
    /// made its own.
    struct UrgentOrders {
        var pastDue: [Int] = []
        var firstWeek: [Int] = []

        init(_ mrp: MRPResult, start: Day) {
            // Released in the first week: in a bucket that starts before its end.
            let dates = mrp.calendar.bucketStart
            let firstWeekEnd = start.adding(days: 7)
            var firstWeekBuckets = 0
            while firstWeekBuckets < dates.count, dates[firstWeekBuckets] < firstWeekEnd { firstWeekBuckets += 1 }
            mrp.orders.withUnsafeBufferPointer { orders in
                for o in orders.indices {
                    let order = orders[o]
                    if order.pastDue { pastDue.append(o) }
                    if order.releaseBucket < firstWeekBuckets { firstWeek.append(o) }
                }
            }
        }
    }
}
