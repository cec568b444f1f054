#include "tensor/functional.h"

#include <cmath>

#include "tensor/gemm.h"
#include "tensor/kernels/embedding.h"
#include "tensor/kernels/permute.h"
#include "tensor/kernels/reduce.h"
#include "tensor/kernels/softmax.h"

namespace l2 {

using kernels::Binary;
using kernels::Unary;

Tensor unary(Unary op, const Tensor& x) {
  Tensor y = Tensor::empty(x.shape());
  kernels::unary_forward(op, y.data(), x.data(), x.numel());
  return y;
}

Tensor binary(Binary op, const Tensor& a, const Tensor& b) {
  const kernels::Broadcast bc = kernels::broadcast_for(kernels::binary_name(op), a.shape(), b.shape());
  Tensor out = Tensor::empty(a.shape());
  kernels::binary_forward(op, out.data(), a.data(), b.data(), bc);
  return out;
}

Tensor add(const Tensor& a, const Tensor& b) { return binary(Binary::Add, a, b); }
Tensor sub(const Tensor& a, const Tensor& b) { return binary(Binary::Sub, a, b); }
Tensor mul(const Tensor& a, const Tensor& b) { return binary(Binary::Mul, a, b); }
Tensor div(const Tensor& a, const Tensor& b) { return binary(Binary::Div, a, b); }

Tensor scaled(const Tensor& x, float a) {
  Tensor y = x.clone();
  kernels::scale(y.data(), a, y.numel());
  return y;
}

Tensor matmul(const Tensor& a, const Tensor& b, bool ta, bool tb) {
  L2_CHECK(a.ndim() >= 2 && b.ndim() >= 2, "matmul: operands need at least 2 axes, got " << a.shape() << " and " << b.shape());
  const std::int64_t M = ta ? a.dim(-1) : a.dim(-2), Ka = ta ? a.dim(-2) : a.dim(-1);
  const std::int64_t Kb = tb ? b.dim(-1) : b.dim(-2), N = tb ? b.dim(-2) : b.dim(-1);
  L2_CHECK(Ka == Kb, "matmul: inner dimensions differ: " << a.shape() << (ta ? "^T" : "") << " x " << b.shape()
                                                         << (tb ? "^T" : ""));
  if (b.ndim() == 2 && a.ndim() > 2) {
    L2_CHECK(!ta, "matmul: trans_a with a " << a.ndim() << "-axis a and a matrix b is not supported: " << a.shape());
    const std::int64_t rows = a.numel() / Ka;
    Tensor out = Tensor::empty(a.shape().with(-1, N));
    gemm(false, tb, rows, N, Ka, 1.0f, a.data(), b.data(), 0.0f, out.data());
    return out;
  }
  L2_CHECK(a.ndim() == b.ndim(), "matmul: batched operands need the same number of axes: " << a.shape() << " x " << b.shape());
  std::int64_t batch = 1;
  for (int i = 0; i < a.ndim() - 2; ++i) {
    L2_CHECK(a.dim(i) == b.dim(i), "matmul: batch axes differ: " << a.shape() << " x " << b.shape());
    batch *= a.dim(i);
  }
  Shape os = a.shape().with(-2, M).with(-1, N);
  Tensor out = Tensor::empty(os);
  gemm_batched(ta, tb, batch, M, N, Ka, 1.0f, a.data(), a.dim(-1), M * Ka, b.data(), b.dim(-1), Ka * N, 0.0f,
               out.data(), N, M * N);
  return out;
}

namespace {
struct AxisView {
  std::int64_t outer = 1, A = 1, inner = 1;
};
AxisView axis_view(const char* op, const Shape& s, int& axis) {
  if (axis < 0) axis += s.ndim();
  L2_CHECK(axis >= 0 && axis < s.ndim(), op << ": axis " << axis << " out of range for " << s);
  AxisView v;
  for (int i = 0; i < axis; ++i) v.outer *= s[i];
  v.A = s[axis];
  for (int i = axis + 1; i < s.ndim(); ++i) v.inner *= s[i];
  return v;
}
}  // namespace

Tensor sum(const Tensor& x, int axis) {
  const AxisView v = axis_view("sum", x.shape(), axis);
  Tensor out = Tensor::empty(x.shape().without(axis));
  kernels::sum_axis(out.data(), x.data(), v.outer, v.A, v.inner, false);
  return out;
}

Tensor mean(const Tensor& x, int axis) {
  int ax = axis;
  const AxisView v = axis_view("mean", x.shape(), ax);
  Tensor out = sum(x, axis);
  kernels::scale(out.data(), 1.0f / float(v.A), out.numel());
  return out;
}

float sum_all(const Tensor& x) { return float(kernels::sum_all(x.data(), x.numel())); }

Tensor softmax(const Tensor& x) {
  L2_CHECK(x.ndim() >= 1 && x.shape().last() > 0, "softmax: empty last axis in " << x.shape());
  Tensor y = Tensor::empty(x.shape());
  kernels::softmax_forward(y.data(), x.data(), x.shape().rows(), x.shape().last());
  return y;
}

Tensor log_softmax(const Tensor& x) {
  L2_CHECK(x.ndim() >= 1 && x.shape().last() > 0, "log_softmax: empty last axis in " << x.shape());
  Tensor y = Tensor::empty(x.shape());
  kernels::log_softmax_forward(y.data(), x.data(), x.shape().rows(), x.shape().last());
  return y;
}

void check_ids(const char* op, const IndexTensor& ids, std::int64_t V) {
  const std::int32_t* p = ids.data();
  for (std::int64_t i = 0; i < ids.numel(); ++i)
    L2_CHECK(p[i] >= 0 && p[i] < V, op << ": id " << p[i] << " at position " << i << " is outside [0, " << V << ")");
}

Tensor gather_rows(const Tensor& table, const IndexTensor& ids) {
  L2_CHECK(table.ndim() == 2, "gather_rows: table must be [V, C], got " << table.shape());
  check_ids("gather_rows", ids, table.dim(0));
  Tensor out = Tensor::empty(ids.shape().appended(table.dim(1)));
  kernels::gather_rows(out.data(), table.data(), ids.data(), ids.numel(), table.dim(1));
  return out;
}

Tensor permute(const Tensor& x, std::initializer_list<int> perm) {
  L2_CHECK(int(perm.size()) == x.ndim(), "permute: " << perm.size() << " axes given for " << x.shape());
  Tensor out = Tensor::empty(kernels::permuted_shape(x.shape(), perm.begin()));
  kernels::permute(out.data(), x.data(), x.shape(), perm.begin());
  return out;
}

Tensor transpose(const Tensor& x) {
  L2_CHECK(x.ndim() >= 2, "transpose: need at least 2 axes, got " << x.shape());
  const std::int64_t R = x.dim(-2), C = x.dim(-1);
  Tensor out = Tensor::empty(x.shape().with(-2, C).with(-1, R));
  if (out.numel() == 0) return out;
  kernels::transpose_last2(out.data(), x.data(), x.numel() / (R * C), R, C);
  return out;
}

float max_abs_diff(const Tensor& a, const Tensor& b) {
  check_same_shape("max_abs_diff", a.shape(), b.shape());
  float m = 0.0f;
  for (std::int64_t i = 0; i < a.numel(); ++i) {
    const float d = std::fabs(a[i] - b[i]);
    if (!(d <= m)) m = d;  // NaN propagates as the maximum
  }
  return m;
}

}  // namespace l2
