// Transpose and permute as explicit copies: tensors are always contiguous, so a permuted view is
// materialised once here instead of every kernel handling strides (docs/style.md#contiguous-tensors).
#pragma once

#include <cstdint>

#include "tensor/shape.h"

namespace l2::kernels {

// out = x with its axes reordered: out.shape[k] = x.shape[perm[k]]. perm has x.ndim() entries.
void permute(float* out, const float* x, const Shape& shape, const int* perm);
void permute_ref(float* out, const float* x, const Shape& shape, const int* perm);

// out[b, c, r] = x[b, r, c] for x: [B, R, C] (the last two axes swapped), cache-blocked.
void transpose_last2(float* out, const float* x, std::int64_t B, std::int64_t R, std::int64_t C);

// Shape of the permuted tensor; throws if perm is not a permutation of [0, ndim).
Shape permuted_shape(const Shape& shape, const int* perm);

}  // namespace l2::kernels
