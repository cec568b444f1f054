// Copies that select or place parts of a tensor: blocks along one axis (slice, concat), columns
// by index along the last axis (index_select), and masked fills. Backward kernels accumulate.
#pragma once

#include <array>
#include <cstdint>

#include "tensor/shape.h"

namespace l2::kernels {

// A tensor viewed as [outer, A, inner] around one axis. Copies `len` slices starting at src_off of
// src ([outer, src_A, inner]) to dst ([outer, dst_A, inner]) starting at dst_off; adds instead of
// copying when `accumulate`.
void copy_slices(float* dst, std::int64_t dst_A, std::int64_t dst_off, const float* src, std::int64_t src_A,
                 std::int64_t src_off, std::int64_t outer, std::int64_t len, std::int64_t inner, bool accumulate);

// y[r, k] = x[r, idx[k]] for rows r of [R, C] and k < K; backward dx[r, idx[k]] += dy[r, k].
void index_select_last(float* y, const float* x, const std::int32_t* idx, std::int64_t R, std::int64_t C,
                       std::int64_t K);
void index_select_last_backward(float* dx, const float* dy, const std::int32_t* idx, std::int64_t R, std::int64_t C,
                                std::int64_t K);

// Where a mask of another shape falls on x: x's shape padded to 4 dims and, for each dim, the
// mask's stride (0 where the mask has size 1 and is repeated).
struct MaskLayout {
  std::array<std::int64_t, 4> dims{1, 1, 1, 1};
  std::array<std::int64_t, 4> mask_stride{0, 0, 0, 0};
};
// Throws naming `op` unless the mask can be laid over x: the same number of dims with each equal
// or 1, or a shape that broadcast_for() accepts (trailing dims, leading dims, one element).
MaskLayout mask_layout(const char* op, const Shape& x, const Shape& mask);

// y = mask ? value : x
void masked_fill_forward(float* y, const float* x, const std::int32_t* mask, float value, const MaskLayout& layout);
// dx += mask ? 0 : dy
void masked_fill_backward(float* dx, const float* dy, const std::int32_t* mask, const MaskLayout& layout);

}  // namespace l2::kernels
