#ifndef TAKT_CHEAP_SHIM_H
#define TAKT_CHEAP_SHIM_H
// The C library's heap, used only by Sources/TaktRun/FreedMemory.swift, HugePages.swift and Trace.swift,
// the prefetch hint of NameIndex (Swift has none), and the threads' CPU affinity
// (Sources/TaktRun/Cores.swift and CorePinning.swift; Swift's Glibc does not show
// sched_getaffinity or sched_setaffinity).
#include <stdlib.h>
#if defined(__linux__)
#include <malloc.h>
#include <sys/auxv.h>
#endif
#if defined(__GLIBC__)
#include <gnu/libc-version.h>
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

/// Whether a restart of this program by `execv("/proc/self/exe", argv)` runs the same
/// program with the same privileges: 1 when the kernel started it through its own ELF
/// interpreter (`AT_BASE` set: not `ld.so takt …`, where /proc/self/exe is the loader)
/// and not in secure mode (`AT_SECURE` clear: not setuid, setgid or with file
/// capabilities, where glibc may strip `GLIBC_TUNABLES`). Elsewhere 0.
static inline int takt_restart_is_safe(void) {
#if defined(__linux__)
    return getauxval(AT_BASE) != 0 && getauxval(AT_SECURE) == 0;
#else
    return 0;
#endif
}

/// Whether glibc reads the tunable `glibc.malloc.hugetlb` (version 2.35 and later): 1 when
/// it does, else 0 (another C library, or an older glibc).
static inline int takt_heap_has_hugetlb_tunable(void) {
#if defined(__GLIBC__)
    int major = 0, minor = 0;
    const char *version = gnu_get_libc_version();
    while (*version >= '0' && *version <= '9') major = major * 10 + (*version++ - '0');
    if (*version == '.') version++;
    while (*version >= '0' && *version <= '9') minor = minor * 10 + (*version++ - '0');
    return major > 2 || (major == 2 && minor >= 35);
#else
    return 0;
#endif
}

/// Asks the processor to bring the cache line at `address` in ahead of a read
/// (`__builtin_prefetch`): a hint, with no effect on what the program computes. The
/// model loader issues it a few rows before a look-up in a table far larger than the cache.
static inline void takt_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// A thread's CPU affinity mask: glibc's `cpu_set_t` (1024 CPUs), kept whole so that it
/// can be given back exactly. glibc's two calls are declared here under names of our own
/// bound to theirs: `<sched.h>` shows them only under `_GNU_SOURCE`, which a module header
/// cannot set without clashing with the system modules' view of the same headers, and
/// their own names could clash with `<sched.h>` seen elsewhere with it.
typedef struct {
    unsigned long bits[1024 / (8 * sizeof(unsigned long))];
} takt_cpu_set;

#if defined(__linux__)
#ifdef __cplusplus
extern "C" {
#endif
extern int takt_sched_getaffinity(int pid, size_t size, void *mask) __asm__("sched_getaffinity");
extern int takt_sched_setaffinity(int pid, size_t size, const void *mask) __asm__("sched_setaffinity");
#ifdef __cplusplus
}
#endif
#endif

/// Reads the affinity mask of thread `tid` into `cpus` (0: the calling thread; the
/// process's id: its first thread); 0 on success, -1 elsewhere than Linux.
static inline int takt_cpus_of(int tid, takt_cpu_set *cpus) {
#if defined(__linux__)
    for (size_t w = 0; w < sizeof cpus->bits / sizeof cpus->bits[0]; w++) cpus->bits[w] = 0;
    return takt_sched_getaffinity(tid, sizeof cpus->bits, cpus->bits) == 0 ? 0 : -1;
#else
    (void)tid;
    (void)cpus;
    return -1;
#endif
}

/// Reads the calling thread's affinity mask into `cpus`; 0 on success.
static inline int takt_thread_cpus(takt_cpu_set *cpus) { return takt_cpus_of(0, cpus); }

/// Gives the calling thread the affinity mask `cpus`; 0 on success.
static inline int takt_set_thread_cpus(const takt_cpu_set *cpus) {
#if defined(__linux__)
    return takt_sched_setaffinity(0, sizeof cpus->bits, cpus->bits);
#else
    (void)cpus;
    return -1;
#endif
}

/// How many CPUs `cpus` holds.
static inline int takt_cpu_count(const takt_cpu_set *cpus) {
    int count = 0;
    for (size_t w = 0; w < sizeof cpus->bits / sizeof cpus->bits[0]; w++) count += __builtin_popcountl(cpus->bits[w]);
    return count;
}

/// The number of the `k`-th CPU (0-based) of `cpus`: -1 past the last.
static inline int takt_nth_cpu(const takt_cpu_set *cpus, int k) {
    const int perWord = 8 * sizeof(unsigned long);
    for (int cpu = 0; cpu < 1024; cpu++) {
        if (((cpus->bits[cpu / perWord] >> (cpu % perWord)) & 1UL) && k-- == 0) return cpu;
    }
    return -1;
}

/// Holds the calling thread to CPU `cpu` (0 to 1023) alone; 0 on success.
static inline int takt_pin_thread(int cpu) {
#if defined(__linux__)
    if (cpu < 0 || cpu >= 1024) return -1;
    takt_cpu_set one = {{0}};
    one.bits[cpu / (8 * sizeof(unsigned long))] = 1UL << (cpu % (8 * sizeof(unsigned long)));
    return takt_sched_setaffinity(0, sizeof one.bits, one.bits);
#else
    (void)cpu;
    return -1;
#endif
}
#endif
