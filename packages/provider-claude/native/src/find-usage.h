// Finds the next `"usage"` in a byte range. glibc's memmem is a general two-way search; this one compares three
// bytes of the needle 32 (AVX2, when the CPU has it) or 16 (SSE2, on every x86-64 CPU) positions at a time and checks
// candidates in full, which is several times faster on transcript text. Other CPUs use memmem.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace agentmux {

namespace detail {
constexpr char kNeedle[] = "\"usage\"";
constexpr size_t kNeedleLen = sizeof(kNeedle) - 1;

inline const uint8_t *findTail(const uint8_t *i, const uint8_t *end) {
  for (; end - i >= static_cast<ptrdiff_t>(kNeedleLen); i += 1)
    if (*i == '"' && std::memcmp(i, kNeedle, kNeedleLen) == 0) return i;
  return nullptr;
}

#if defined(__x86_64__)
__attribute__((target("avx2"))) inline const uint8_t *findAvx2(const uint8_t *i, const uint8_t *end) {
  const __m256i quote = _mm256_set1_epi8('"'), u = _mm256_set1_epi8('u'), e = _mm256_set1_epi8('e');
  for (; end - i >= static_cast<ptrdiff_t>(32 + kNeedleLen); i += 32) {
    const __m256i a = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(i));
    const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(i + 1));
    const __m256i c = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(i + 5));
    uint32_t mask = static_cast<uint32_t>(_mm256_movemask_epi8(
        _mm256_and_si256(_mm256_and_si256(_mm256_cmpeq_epi8(a, quote), _mm256_cmpeq_epi8(b, u)), _mm256_cmpeq_epi8(c, e))));
    while (mask != 0) {
      const int bit = __builtin_ctz(mask);
      if (std::memcmp(i + bit, kNeedle, kNeedleLen) == 0) return i + bit;
      mask &= mask - 1;
    }
  }
  return findTail(i, end);
}

inline const uint8_t *findSse2(const uint8_t *i, const uint8_t *end) {
  const __m128i quote = _mm_set1_epi8('"'), u = _mm_set1_epi8('u'), e = _mm_set1_epi8('e');
  for (; end - i >= static_cast<ptrdiff_t>(16 + kNeedleLen); i += 16) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i *>(i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i *>(i + 1));
    const __m128i c = _mm_loadu_si128(reinterpret_cast<const __m128i *>(i + 5));
    unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_and_si128(_mm_and_si128(_mm_cmpeq_epi8(a, quote), _mm_cmpeq_epi8(b, u)), _mm_cmpeq_epi8(c, e))));
    while (mask != 0) {
      const int bit = __builtin_ctz(mask);
      if (std::memcmp(i + bit, kNeedle, kNeedleLen) == 0) return i + bit;
      mask &= mask - 1;
    }
  }
  return findTail(i, end);
}
#endif
} // namespace detail

inline const uint8_t *findUsage(const uint8_t *from, const uint8_t *end) {
#if defined(__x86_64__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
  return avx2 ? detail::findAvx2(from, end) : detail::findSse2(from, end);
#else
  return static_cast<const uint8_t *>(memmem(from, end - from, detail::kNeedle, detail::kNeedleLen));
#endif
}

} // namespace agentmux
