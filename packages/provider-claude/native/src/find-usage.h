// Finds the next `"usage"` in a byte range. glibc's memmem is a general two-way search; this one compares three
// bytes of the needle 16 positions at a time (SSE2, on every x86-64 CPU) and checks candidates in full, which is
// several times faster on transcript text. Other CPUs use memmem.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace agentmux {

inline const uint8_t *findUsage(const uint8_t *from, const uint8_t *end) {
  static constexpr char kNeedle[] = "\"usage\"";
  constexpr size_t kLen = sizeof(kNeedle) - 1;
  const uint8_t *i = from;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), u = _mm_set1_epi8('u'), e = _mm_set1_epi8('e');
  for (; end - i >= static_cast<ptrdiff_t>(16 + kLen); i += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i *>(i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i *>(i + 1));
    const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i *>(i + 5));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(a, quote), _mm_cmpeq_epi8(b, u)), _mm_cmpeq_epi8(c, e))));
    while (mask != 0) {
      const int bit = __builtin_ctz(mask);
      if (std::memcmp(i + bit, kNeedle, kLen) == 0) return i + bit;
      mask &= mask - 1;
    }
  }
  for (; end - i >= static_cast<ptrdiff_t>(kLen); i += 1)
    if (*i == '"' && std::memcmp(i, kNeedle, kLen) == 0) return i;
  return nullptr;
#else
  return static_cast<const uint8_t *>(memmem(i, end - i, kNeedle, kLen));
#endif
}

} // namespace agentmux
