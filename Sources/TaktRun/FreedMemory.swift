import CHeap
import TaktModel
import TaktInput
import TaktPlanning
import TaktReports

/// Gives freed memory back to the system between the stages of a large run.
///
/// glibc keeps what a thread frees in that thread's arena: the MRP's runs, netted on
/// worker threads and then copied into one array, or the loader's parsed columns, stay
/// resident after they are freed and the next stage's allocations go on top of them
/// (docs/performance.md, "Heap policy", has the figures). `release(about:)` trims
/// every arena (`malloc_trim`); it is called where a stage has just dropped a large share
/// of its memory. A small run skips it: what it would hand back is little, and the pages
/// handed back must be faulted in again when the next stage (or the next run of
/// `takt whatif` or a benchmark) allocates.
public enum FreedMemory {
    /// Below this many bytes dropped, nothing is trimmed.
    static let threshold = 64 << 20

    /// What a stage that drops memory piece by piece (the MRP's runs, the pegging walk's
    /// fragments) gathers before reporting it (`Workers.dropBatch`), and trims for: a trim
    /// walks every arena, so it is worth it only for a few of these at a time; and what is
    /// dropped and not yet trimmed is resident beside what replaces it (the MRP's joined
    /// orders fill as its runs go), so a batch is the most a stage adds to the peak.
    /// (At 128 MB the stress-shaped 1M run peaked at the join, 100 MB above the stages
    /// around it; at 32 MB the join stays below them, in no more time.)
    static let batch = 32 << 20

    /// Large blocks from here on get a mapping of their own, returned to the system when
    /// freed: a run's arrays of a megabyte and more (the stages' columns over all items,
    /// the MRP's runs) no longer stay resident in an arena after their stage. The command
    /// line calls it once, before anything is read: a lower peak for a few percent more time
    /// in page faults (docs/performance.md, "Heap policy").
    ///
    /// Setting that threshold also pins glibc's trim threshold at 128 KiB: every `free` that
    /// left more than that at the top of an arena handed it back, and the next allocation
    /// faulted it in again. GLPK frees a solved problem 8 KB at a time from the top of the
    /// heap, one `brk` call each (7,600 calls at 1M items, 30 ms per phase LP dropped), so
    /// each arena keeps up to `keptTop` free at its top and grows by `topPad` more than asked.
    public static func mapLargeBlocks() {
        _ = takt_heap_map_from(1 << 20)
        _ = takt_heap_keep_top(Int32(keptTop), Int32(topPad))
    }

    /// Free bytes an arena keeps at its top (glibc's `M_TRIM_THRESHOLD`).
    static let keptTop = 4 << 20

    /// Bytes an arena grows by beyond a request (glibc's `M_TOP_PAD`).
    static let topPad = 1 << 20

    /// Trims when `bytes` (what the caller just dropped, roughly) reaches `threshold`.
    public static func release(about bytes: Int) {
        guard bytes >= threshold else { return }
        _ = takt_heap_trim()
    }

    /// Trims for a stage's dropped memory (`Workers.dropped`): when `bytes` reaches half a
    /// batch. A stage dropping memory piece by piece reports whole batches; one that drops
    /// its memory at once reports what it held, which need not come to a whole batch (the
    /// projection's rows at stress 1M are 28–45 MB, as the chunks went to the cores: left
    /// resident below 32 MB, they raised the peak of the stages after by 70 MB).
    static func release(batch bytes: Int) {
        guard bytes >= batch / 2 else { return }
        _ = takt_heap_trim()
    }

    /// Trims after a stage of a run with `orders` planned orders: what the stages from
    /// the MRP on drop (its runs, the pegging's fragments, the on-time delivery's
    /// explosions) grows with them, so a run counts as large by its orders' bytes.
    public static func release(afterStageWithOrders orders: Int) {
        release(about: orders * MemoryLayout<PlannedOrder>.stride)
    }
}
