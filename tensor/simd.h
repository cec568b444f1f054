// The one place that names xsimd. Kernels use Batch (the widest float vector the build targets:
// 8 lanes with AVX2, 16 with AVX-512, 4 without -march=native) and write the loop shape of the
// xsimd docs: a vector loop over n - n % kWidth elements, then a scalar loop for the tail
// (xsimd 8.1 has no masked loads). Loads are unaligned unless a pointer is a whole storage.
#pragma once

#include <cstdint>
#include <xsimd/xsimd.hpp>

namespace l2 {

using Batch = xsimd::batch<float>;
inline constexpr std::int64_t kWidth = static_cast<std::int64_t>(Batch::size);
// Integer lanes for masks and random bits: IntBatch has Batch's lane count, U64Batch half of it.
using IntBatch = xsimd::batch<std::int32_t>;
using U64Batch = xsimd::batch<std::uint64_t>;

// Horizontal sum of the lanes. xsimd 8.x calls it hadd; 9.0 renamed it reduce_add.
inline float hsum(const Batch& b) {
#if XSIMD_VERSION_MAJOR >= 9
  return xsimd::reduce_add(b);
#else
  return xsimd::hadd(b);
#endif
}

inline float hmax(const Batch& b) {
#if XSIMD_VERSION_MAJOR >= 9
  return xsimd::reduce_max(b);
#else
  alignas(64) float lanes[kWidth];
  b.store_aligned(lanes);
  float m = lanes[0];
  for (std::int64_t i = 1; i < kWidth; ++i) m = lanes[i] > m ? lanes[i] : m;
  return m;
#endif
}

inline Batch load(const float* p) { return Batch::load_unaligned(p); }
inline void store(float* p, const Batch& b) { b.store_unaligned(p); }

// Asks for the cache lines of the row p[0, C) ahead of use. Embedding lookups, their gradient
// scatter and the sampled loss visit rows anywhere in an item table of megabytes; prefetching the
// next row while working on the current one hides most of the memory latency (measured: the
// scatter 17% faster; GRU4Rec's training step at the small setting 3-5% faster on one thread).
inline void prefetch_row(const float* p, std::int64_t C) {
  for (std::int64_t c = 0; c < C; c += 64 / std::int64_t(sizeof(float))) __builtin_prefetch(p + c);
}

// Number of elements the vector loop covers.
inline std::int64_t vec_end(std::int64_t n) { return n - n % kWidth; }

// Name of the instruction set xsimd compiled for ("avx2", "avx512bw", "sse2", ...).
inline const char* simd_arch_name() { return xsimd::default_arch::name(); }

}  // namespace l2
