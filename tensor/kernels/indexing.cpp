#include "tensor/kernels/indexing.h"

#include <cstring>

#include "tensor/check.h"
#include "tensor/kernels/elementwise.h"
#include "tensor/parallel.h"

namespace l2::kernels {

void copy_slices(float* dst, std::int64_t dst_A, std::int64_t dst_off, const float* src, std::int64_t src_A,
                 std::int64_t src_off, std::int64_t outer, std::int64_t len, std::int64_t inner, bool accumulate) {
  const std::int64_t run = len * inner;  // contiguous elements per outer index
  parallel_for(outer, row_block(run), [&](std::int64_t o0, std::int64_t o1) {
    for (std::int64_t o = o0; o < o1; ++o) {
      float* d = dst + (o * dst_A + dst_off) * inner;
      const float* s = src + (o * src_A + src_off) * inner;
      if (accumulate) {
        for (std::int64_t i = 0; i < run; ++i) d[i] += s[i];
      } else {
        std::memcpy(d, s, sizeof(float) * run);
      }
    }
  });
}

void index_select_last(float* y, const float* x, const std::int32_t* idx, std::int64_t R, std::int64_t C,
                       std::int64_t K) {
  parallel_for(R, row_block(K), [&](std::int64_t r0, std::int64_t r1) {
    for (std::int64_t r = r0; r < r1; ++r)
      for (std::int64_t k = 0; k < K; ++k) y[r * K + k] = x[r * C + idx[k]];
  });
}

void index_select_last_backward(float* dx, const float* dy, const std::int32_t* idx, std::int64_t R, std::int64_t C,
                                std::int64_t K) {
  // Each row is one task and adds its k in order, so repeated indices sum deterministically.
  parallel_for(R, row_block(K), [&](std::int64_t r0, std::int64_t r1) {
    for (std::int64_t r = r0; r < r1; ++r)
      for (std::int64_t k = 0; k < K; ++k) dx[r * C + idx[k]] += dy[r * K + k];
  });
}

MaskLayout mask_layout(const char* op, const Shape& x, const Shape& mask) {
  L2_CHECK(x.ndim() >= 1, op << ": needs at least one axis, got " << x);
  Shape m = mask;
  if (m.ndim() != x.ndim()) {
    // Align a shorter mask the way binary ops broadcast: trailing dims, or leading dims.
    const Broadcast bc = broadcast_for(op, x, mask);
    Shape padded;
    if (bc.kind == Broadcast::Row) {
      for (int i = 0; i < x.ndim() - mask.ndim(); ++i) padded = padded.appended(1);
      for (int i = 0; i < mask.ndim(); ++i) padded = padded.appended(mask[i]);
    } else if (bc.kind == Broadcast::Column) {
      int k = mask.ndim();
      while (k > 0 && mask[k - 1] == 1) --k;
      for (int i = 0; i < x.ndim(); ++i) padded = padded.appended(i < k ? mask[i] : 1);
    } else {  // Scalar
      for (int i = 0; i < x.ndim(); ++i) padded = padded.appended(1);
    }
    m = padded;
  }
  L2_CHECK(m.ndim() == x.ndim() && m.numel() == mask.numel(), op << ": cannot lay mask " << mask << " over " << x);
  MaskLayout L;
  const int pad = 4 - x.ndim();
  std::int64_t stride = 1;
  for (int i = x.ndim() - 1; i >= 0; --i) {
    L2_CHECK(m[i] == x[i] || m[i] == 1, op << ": mask " << mask << " does not fit " << x << " (axis " << i << ")");
    L.dims[size_t(pad + i)] = x[i];
    L.mask_stride[size_t(pad + i)] = m[i] == 1 ? 0 : stride;
    stride *= m[i];
  }
  return L;
}

namespace {
template <class F>
void for_each_masked(const MaskLayout& L, F&& f) {
  const auto& d = L.dims;
  const auto& s = L.mask_stride;
  const std::int64_t rows = d[0] * d[1] * d[2];
  parallel_for(rows, row_block(d[3]), [&](std::int64_t r0, std::int64_t r1) {
    for (std::int64_t r = r0; r < r1; ++r) {
      const std::int64_t i2 = r % d[2], i1 = (r / d[2]) % d[1], i0 = r / (d[2] * d[1]);
      const std::int64_t mbase = i0 * s[0] + i1 * s[1] + i2 * s[2];
      for (std::int64_t i3 = 0; i3 < d[3]; ++i3) f(r * d[3] + i3, mbase + i3 * s[3]);
    }
  });
}
}  // namespace

void masked_fill_forward(float* y, const float* x, const std::int32_t* mask, float value, const MaskLayout& layout) {
  for_each_masked(layout, [&](std::int64_t i, std::int64_t m) { y[i] = mask[m] ? value : x[i]; });
}

void masked_fill_backward(float* dx, const float* dy, const std::int32_t* mask, const MaskLayout& layout) {
  for_each_masked(layout, [&](std::int64_t i, std::int64_t m) {
    if (!mask[m]) dx[i] += dy[i];
  });
}

}  // namespace l2::kernels
