#ifndef TAKT_CHEAP_SHIM_H
#define TAKT_CHEAP_SHIM_H
// The C library's heap, used only by Sources/TaktCore/Support/FreedMemory.swift.
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
#endif
