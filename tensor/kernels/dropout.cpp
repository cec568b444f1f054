#include "tensor/kernels/dropout.h"

#include "tensor/check.h"
#include "tensor/parallel.h"
#include "tensor/random.h"

namespace l2::kernels {

void dropout_forward(float* y, const float* x, std::int64_t n, float p, std::uint64_t seed, std::uint64_t stream) {
  const DropoutMask m = dropout_mask(seed, stream, p);
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i) y[i] = m.keep(std::uint64_t(i)) ? x[i] * m.scale : 0.0f;
  });
}

void dropout_backward(float* dx, const float* dy, std::int64_t n, float p, std::uint64_t seed, std::uint64_t stream) {
  const DropoutMask m = dropout_mask(seed, stream, p);
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i)
      if (m.keep(std::uint64_t(i))) dx[i] += dy[i] * m.scale;
  });
}

}  // namespace l2::kernels
