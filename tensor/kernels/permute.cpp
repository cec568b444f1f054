#include "tensor/kernels/permute.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "tensor/check.h"
#include "tensor/parallel.h"

namespace l2::kernels {

Shape permuted_shape(const Shape& shape, const int* perm) {
  Shape out = shape;
  std::array<bool, Shape::kMaxDims> used{};
  for (int k = 0; k < shape.ndim(); ++k) {
    L2_CHECK(perm[k] >= 0 && perm[k] < shape.ndim() && !used[size_t(perm[k])],
             "permute: axis order is not a permutation of the " << shape.ndim() << " axes of " << shape);
    used[size_t(perm[k])] = true;
    out[k] = shape[perm[k]];
  }
  return out;
}

namespace {
// The shape padded to 4 dims with leading 1s, the input strides, and the permutation on 4 dims.
struct Plan {
  std::array<std::int64_t, 4> out_dims{1, 1, 1, 1};
  std::array<std::int64_t, 4> in_stride{0, 0, 0, 0};  // stride in x of each output axis
};
Plan make_plan(const Shape& shape, const int* perm) {
  const int nd = shape.ndim(), pad = 4 - nd;
  std::array<std::int64_t, 4> stride{};
  std::int64_t s = 1;
  for (int k = nd - 1; k >= 0; --k) {
    stride[size_t(k)] = s;
    s *= shape[k];
  }
  Plan p;
  for (int k = 0; k < nd; ++k) {
    p.out_dims[size_t(pad + k)] = shape[perm[k]];
    p.in_stride[size_t(pad + k)] = stride[size_t(perm[k])];
  }
  return p;
}
}  // namespace

void permute_ref(float* out, const float* x, const Shape& shape, const int* perm) {
  const Plan p = make_plan(shape, perm);
  const auto& d = p.out_dims;
  const auto& st = p.in_stride;
  std::int64_t o = 0;
  for (std::int64_t a = 0; a < d[0]; ++a)
    for (std::int64_t b = 0; b < d[1]; ++b)
      for (std::int64_t c = 0; c < d[2]; ++c)
        for (std::int64_t e = 0; e < d[3]; ++e) out[o++] = x[a * st[0] + b * st[1] + c * st[2] + e * st[3]];
}

void permute(float* out, const float* x, const Shape& shape, const int* perm) {
  permuted_shape(shape, perm);
  const Plan p = make_plan(shape, perm);
  const auto& d = p.out_dims;
  const auto& st = p.in_stride;
  const std::int64_t rows = d[0] * d[1] * d[2];
  parallel_for(rows, row_block(d[3]), [&](std::int64_t r0, std::int64_t r1) {
    for (std::int64_t r = r0; r < r1; ++r) {
      const std::int64_t i2 = r % d[2], i1 = (r / d[2]) % d[1], i0 = r / (d[2] * d[1]);
      const float* src = x + i0 * st[0] + i1 * st[1] + i2 * st[2];
      float* dst = out + r * d[3];
      if (st[3] == 1) {
        std::memcpy(dst, src, sizeof(float) * d[3]);
      } else {
        for (std::int64_t i3 = 0; i3 < d[3]; ++i3) dst[i3] = src[i3 * st[3]];
      }
    }
  });
}

void transpose_last2(float* out, const float* x, std::int64_t B, std::int64_t R, std::int64_t C) {
  constexpr std::int64_t kTile = 32;
  const std::int64_t tiles_r = (R + kTile - 1) / kTile;
  parallel_for(B * tiles_r, 1, [&](std::int64_t t0, std::int64_t t1) {
    for (std::int64_t t = t0; t < t1; ++t) {
      const std::int64_t b = t / tiles_r, r0 = (t % tiles_r) * kTile, r1 = std::min(R, r0 + kTile);
      const float* xb = x + b * R * C;
      float* ob = out + b * R * C;
      for (std::int64_t c0 = 0; c0 < C; c0 += kTile) {
        const std::int64_t c1 = std::min(C, c0 + kTile);
        for (std::int64_t r = r0; r < r1; ++r)
          for (std::int64_t c = c0; c < c1; ++c) ob[c * R + r] = xb[r * C + c];
      }
    }
  });
}

}  // namespace l2::kernels
