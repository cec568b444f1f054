#include "tensor/kernels/dropout.h"

#include "tensor/check.h"
#include "tensor/parallel.h"
#include "tensor/random.h"

namespace l2::kernels {

void dropout_forward(float* y, const float* x, std::int64_t n, float p, std::uint64_t seed, std::uint64_t stream) {
  L2_CHECK(p >= 0.0f && p < 1.0f, "dropout: rate " << p << " outside [0, 1)");
  const std::uint64_t key = stream_key(seed, stream);
  const float scale = 1.0f / (1.0f - p);
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i) y[i] = bits_to_uniform(random_bits_keyed(key, i)) >= p ? x[i] * scale : 0.0f;
  });
}

void dropout_backward(float* dx, const float* dy, std::int64_t n, float p, std::uint64_t seed, std::uint64_t stream) {
  const std::uint64_t key = stream_key(seed, stream);
  const float scale = 1.0f / (1.0f - p);
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i)
      if (bits_to_uniform(random_bits_keyed(key, i)) >= p) dx[i] += dy[i] * scale;
  });
}

}  // namespace l2::kernels
