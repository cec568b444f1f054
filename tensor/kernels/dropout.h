// Inverted dropout with the mask drawn on the fly from the counter-based RNG (Note [Dropout masks]
// in tensor/random.h). The backward regenerates the same mask from (seed, stream) instead of
// storing it. The kernels draw the mask a chunk at a time in vector form (Note [Vectorised dropout
// masks] in dropout.cpp); each has a scalar `_ref` twin built on DropoutMask::keep, the definition.
#pragma once

#include <cstdint>

#include "tensor/random.h"

namespace l2::kernels {

// y = x * keep(i) * scale
void dropout_forward(float* y, const float* x, std::int64_t n, float p, std::uint64_t seed, std::uint64_t stream);
void dropout_forward_ref(float* y, const float* x, std::int64_t n, float p, std::uint64_t seed, std::uint64_t stream);
// dx += dy * keep(i) * scale
void dropout_backward(float* dx, const float* dy, std::int64_t n, float p, std::uint64_t seed, std::uint64_t stream);
void dropout_backward_ref(float* dx, const float* dy, std::int64_t n, float p, std::uint64_t seed, std::uint64_t stream);

// x[i] = keep(begin + i) ? x[i] * scale : 0 for i in [0, n): elements begin.. of mask m, applied in
// place, one thread (for kernels that drop a slice of a larger tensor inside their own tasks, such
// as the attention probabilities of one slice).
void dropout_apply(float* x, std::int64_t n, std::uint64_t begin, const DropoutMask& m);
void dropout_apply_ref(float* x, std::int64_t n, std::uint64_t begin, const DropoutMask& m);

}  // namespace l2::kernels
