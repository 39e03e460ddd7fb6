import CHeap

/// Gives freed memory back to the system between the stages of a large run.
///
/// glibc keeps what a thread frees in that thread's arena: the MRP's runs, netted on
/// worker threads and then copied into one array, or the loader's parsed columns, stay
/// resident after they are freed (0.9 GB after the MRP of a 1M-item model in day
/// buckets) and the next stage's allocations go on top of them. `release()` trims every
/// arena (`malloc_trim`, a few milliseconds); it is called where a stage has just dropped
/// a large share of its memory.
public enum FreedMemory {
    public static func release() {
        _ = takt_heap_trim()
    }
}
