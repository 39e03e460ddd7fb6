#ifndef TAKT_CBYTES_SHIM_H
#define TAKT_CBYTES_SHIM_H
// The CSV scan's byte classes, 16 bytes at a time (Sources/TaktInput/CSVTable.swift):
// SSE2 compares and `pmovmskb` on x86-64, which Swift's SIMD types do not reach (a vector
// compare there gives a mask of lanes, with no way to its bits as an integer); a plain
// loop elsewhere, byte for byte the same answers.
#include <stdint.h>
#include <stddef.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Bit k set when byte k of the 64 at `p` is a comma, a line feed or a carriage return.
static inline uint64_t takt_csv_delimiters64(const uint8_t *p) {
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    uint64_t mask = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, comma), _mm_cmpeq_epi8(v, lf)), _mm_cmpeq_epi8(v, cr));
        mask |= (uint64_t)(uint16_t)_mm_movemask_epi8(hit) << (16 * k);
    }
    return mask;
#else
    uint64_t mask = 0;
    for (int k = 0; k < 64; k++) {
        uint8_t b = p[k];
        mask |= (uint64_t)(b == ',' || b == '\n' || b == '\r') << k;
    }
    return mask;
#endif
}

/// Counts the commas and the line ends (every LF and every CR) of the `n` bytes at `p`
/// into `*commas` and `*line_ends`; returns 1 when every byte is plain ASCII (1 to 0x7F),
/// else 0.
static inline int takt_csv_survey(const uint8_t *p, size_t n, size_t *commas, size_t *line_ends) {
    size_t c = 0, e = 0, i = 0;
    unsigned odd = 0;
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(','), lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    const __m128i zero = _mm_setzero_si128();
    for (; i + 16 <= n; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        c += (size_t)__builtin_popcount((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)));
        e += (size_t)__builtin_popcount((unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lf), _mm_cmpeq_epi8(v, cr))));
        // A byte of 0x80 or more has its top bit set; a zero byte compares equal to zero.
        odd |= (unsigned)_mm_movemask_epi8(v) | (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero));
    }
#endif
    for (; i < n; i++) {
        uint8_t b = p[i];
        c += b == ',';
        e += b == '\n' || b == '\r';
        odd |= b == 0 || b >= 0x80;
    }
    *commas = c;
    *line_ends = e;
    return odd == 0;
}

#endif
