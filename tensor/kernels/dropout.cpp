#include "tensor/kernels/dropout.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "tensor/check.h"
#include "tensor/parallel.h"
#include "tensor/simd.h"

namespace l2::kernels {

// Note [Vectorised dropout masks]
// DropoutMask::keep (tensor/random.h) decides one element at a time: a branch per element, and the
// 64-bit draw of four elements hashed four times. Measured on SASRec at the small setting, that
// was 30% of a training step (about 14 cycles per element, mostly mispredicted branches). The
// kernels here draw the mask a chunk at a time instead: the draws d0.. of the chunk are the
// splitmix64 mix of their Weyl counters (random_bits_keyed) computed U64Batch lanes at a time, and
// on a little-endian machine the 16-bit field j of draw d sits at 16-bit position 4d + j of the
// draws' bytes, which is exactly element 4d + j's field. So the fields are the draws' bytes read
// as uint16, widened to int32 lanes and compared with the threshold as floats (exact: both are
// integers below 2^16), and the element is kept or zeroed by a select, without a branch. The
// decisions are the definition's bit for bit (tests/tensor/test_random.cpp compares every kernel
// with its `_ref` twin), and so are the values: this file is compiled with -ffp-contract=off
// (tensor/CMakeLists.txt), so no path fuses a multiply and an add that the other rounds twice.
namespace {

static_assert(std::endian::native == std::endian::little, "dropout mask fields are read as little-endian uint16");

// Elements per chunk: the chunk's draws and fields stay in L1.
constexpr std::int64_t kChunk = 1024;

// field[k] = the 16-bit field that decides element begin + k, for k in [0, n), n <= kChunk.
void mask_fields(std::uint16_t* field, const DropoutMask& m, std::uint64_t begin, std::int64_t n) {
  constexpr std::int64_t W = U64Batch::size;
  alignas(64) std::uint64_t draws[kChunk / 4 + 2];
  const std::uint64_t d0 = begin >> 2;
  const std::int64_t nd = std::int64_t(((begin + std::uint64_t(n) + 3) >> 2) - d0);
  // z = key + (d + 1) * golden for draw d, then mix64 (random_bits_keyed), W draws at a time.
  alignas(64) std::uint64_t counter[W];
  for (std::int64_t l = 0; l < W; ++l) counter[l] = m.key + (d0 + std::uint64_t(l) + 1) * kGolden;
  U64Batch z0 = U64Batch::load_aligned(counter);
  const U64Batch step(std::uint64_t(W) * kGolden), c1(0xBF58476D1CE4E5B9ull), c2(0x94D049BB133111EBull);
  std::int64_t d = 0;
  for (; d + W <= nd; d += W) {
    U64Batch z = z0;
    z = (z ^ (z >> 30)) * c1;
    z = (z ^ (z >> 27)) * c2;
    (z ^ (z >> 31)).store_aligned(draws + d);
    z0 += step;
  }
  for (; d < nd; ++d) draws[d] = random_bits_keyed(m.key, d0 + std::uint64_t(d));
  std::memcpy(field, reinterpret_cast<const unsigned char*>(draws) + 2 * (begin & 3), sizeof(std::uint16_t) * size_t(n));
}

// The keep decisions of kWidth elements from their fields.
inline auto keeps(const std::uint16_t* field, const Batch& threshold) {
  return xsimd::batch_cast<float>(IntBatch::load_unaligned(field)) >= threshold;
}

// Runs fn(field, first, count) over the chunks of elements [begin, begin + n) of the mask.
template <class F>
void for_each_chunk(const DropoutMask& m, std::uint64_t begin, std::int64_t n, F&& fn) {
  alignas(64) std::uint16_t field[kChunk];
  for (std::int64_t c = 0; c < n; c += kChunk) {
    const std::int64_t len = std::min(kChunk, n - c);
    mask_fields(field, m, begin + std::uint64_t(c), len);
    fn(static_cast<const std::uint16_t*>(field), c, len);
  }
}

}  // namespace

void dropout_apply_ref(float* x, std::int64_t n, std::uint64_t begin, const DropoutMask& m) {
  for (std::int64_t i = 0; i < n; ++i) x[i] = m.keep(begin + std::uint64_t(i)) ? x[i] * m.scale : 0.0f;
}

void dropout_apply(float* x, std::int64_t n, std::uint64_t begin, const DropoutMask& m) {
  const Batch threshold(float(m.threshold)), scale(m.scale), zero(0.0f);
  for_each_chunk(m, begin, n, [&](const std::uint16_t* f, std::int64_t c, std::int64_t len) {
    float* xc = x + c;
    std::int64_t i = 0;
    for (; i + kWidth <= len; i += kWidth) store(xc + i, xsimd::select(keeps(f + i, threshold), load(xc + i) * scale, zero));
    for (; i < len; ++i) xc[i] = f[i] >= m.threshold ? xc[i] * m.scale : 0.0f;
  });
}

void dropout_forward_ref(float* y, const float* x, std::int64_t n, float p, std::uint64_t seed, std::uint64_t stream) {
  const DropoutMask m = dropout_mask(seed, stream, p);
  for (std::int64_t i = 0; i < n; ++i) y[i] = m.keep(std::uint64_t(i)) ? x[i] * m.scale : 0.0f;
}

void dropout_forward(float* y, const float* x, std::int64_t n, float p, std::uint64_t seed, std::uint64_t stream) {
  const DropoutMask m = dropout_mask(seed, stream, p);
  const Batch threshold(float(m.threshold)), scale(m.scale), zero(0.0f);
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
    for_each_chunk(m, std::uint64_t(b), e - b, [&](const std::uint16_t* f, std::int64_t c, std::int64_t len) {
      const float* xc = x + b + c;
      float* yc = y + b + c;
      std::int64_t i = 0;
      for (; i + kWidth <= len; i += kWidth) store(yc + i, xsimd::select(keeps(f + i, threshold), load(xc + i) * scale, zero));
      for (; i < len; ++i) yc[i] = f[i] >= m.threshold ? xc[i] * m.scale : 0.0f;
    });
  });
}

void dropout_backward_ref(float* dx, const float* dy, std::int64_t n, float p, std::uint64_t seed, std::uint64_t stream) {
  const DropoutMask m = dropout_mask(seed, stream, p);
  for (std::int64_t i = 0; i < n; ++i)
    if (m.keep(std::uint64_t(i))) dx[i] += dy[i] * m.scale;
}

void dropout_backward(float* dx, const float* dy, std::int64_t n, float p, std::uint64_t seed, std::uint64_t stream) {
  const DropoutMask m = dropout_mask(seed, stream, p);
  const Batch threshold(float(m.threshold)), scale(m.scale);
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
    for_each_chunk(m, std::uint64_t(b), e - b, [&](const std::uint16_t* f, std::int64_t c, std::int64_t len) {
      const float* g = dy + b + c;
      float* d = dx + b + c;
      std::int64_t i = 0;
      for (; i + kWidth <= len; i += kWidth) {
        const Batch di = load(d + i);
        store(d + i, xsimd::select(keeps(f + i, threshold), di + load(g + i) * scale, di));
      }
      for (; i < len; ++i)
        if (f[i] >= m.threshold) d[i] += g[i] * m.scale;
    });
  });
}

}  // namespace l2::kernels
