#ifndef TAKT_CHEAP_SHIM_H
#define TAKT_CHEAP_SHIM_H
// The C library's heap, used only by Sources/TaktRun/FreedMemory.swift and Trace.swift,
// and the prefetch hint of NameIndex (Swift has none).
#include <stdlib.h>
#if defined(__linux__)
#include <malloc.h>
#endif

/// Gives the free pages of every malloc arena back to the system (glibc's `malloc_trim`);
/// 1 when some memory was released. Elsewhere a no-op returning 0.
static inline int takt_heap_trim(void) {
#if defined(__GLIBC__)
    return malloc_trim(0);
#else
    return 0;
#endif
}
/// Bytes the program holds from malloc now (glibc's `mallinfo2`: chunks in use in every
/// arena plus mmapped ones), whatever freed pages the arenas still keep resident.
/// Elsewhere 0.
static inline size_t takt_heap_in_use(void) {
#if defined(__GLIBC__)
    struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
#else
    return 0;
#endif
}
/// Bytes free inside the arenas (glibc's `mallinfo2().fordblks`): freed memory kept for
/// reuse, resident where it was touched. Elsewhere 0.
static inline size_t takt_heap_free(void) {
#if defined(__GLIBC__)
    return mallinfo2().fordblks;
#else
    return 0;
#endif
}

/// Serves every allocation of at least `bytes` with its own mapping, given back to the
/// system the moment it is freed (glibc's `M_MMAP_THRESHOLD`, which otherwise rises up to
/// 32 MiB as large blocks are freed, leaving them in the arenas); 1 on success.
/// Elsewhere a no-op returning 0.
static inline int takt_heap_map_from(int bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, bytes);
#else
    (void)bytes;
    return 0;
#endif
}

/// Keeps up to `trim` free bytes at the top of each malloc arena instead of handing them
/// back to the system at every `free` (glibc's `M_TRIM_THRESHOLD`, 128 KiB by default once
/// `M_MMAP_THRESHOLD` is set), and grows an arena by at least `pad` bytes more than asked
/// (`M_TOP_PAD`); 1 on success. Elsewhere a no-op returning 0.
static inline int takt_heap_keep_top(int trim, int pad) {
#if defined(__GLIBC__)
    return mallopt(M_TRIM_THRESHOLD, trim) & mallopt(M_TOP_PAD, pad);
#else
    (void)trim;
    (void)pad;
    return 0;
#endif
}

/// Asks the processor to bring the cache line at `address` in ahead of a read
/// (`__builtin_prefetch`): a hint, with no effect on what the program computes. The
/// model loader issues it a few rows before a look-up in a table far larger than the cache.
static inline void takt_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}
#endif
