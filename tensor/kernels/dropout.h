// Inverted dropout with the mask drawn on the fly from the counter-based RNG (Note [Dropout masks]
// in tensor/random.h). The backward regenerates the same mask from (seed, stream) instead of
// storing it.
#pragma once

#include <cstdint>

namespace l2::kernels {

// y = x * keep(i) * scale
void dropout_forward(float* y, const float* x, std::int64_t n, float p, std::uint64_t seed, std::uint64_t stream);
// dx += dy * keep(i) * scale
void dropout_backward(float* dx, const float* dy, std::int64_t n, float p, std::uint64_t seed, std::uint64_t stream);

}  // namespace l2::kernels
