#include "tensor/functional.h"

#include <cmath>

#include "tensor/gemm.h"
#include "tensor/kernels/embedding.h"
#include "tensor/kernels/permute.h"
#include "tensor/kernels/reduce.h"
#include "tensor/kernels/softmax.h"

namespace l2::fn {

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
  const MatmulDims d = matmul_dims(a.shape(), b.shape(), ta, tb);
  Tensor out = Tensor::empty(d.out);
  matmul_gemm(d, ta, tb, a.data(), b.data(), 0.0f, out.data());
  return out;
}

Tensor sum(const Tensor& x, int axis) {
  const AxisView v = axis_view("sum", x.shape(), axis);
  Tensor out = Tensor::empty(x.shape().without(v.axis));
  kernels::sum_axis(out.data(), x.data(), v.outer, v.A, v.inner, false);
  return out;
}

Tensor mean(const Tensor& x, int axis) {
  const AxisView v = axis_view("mean", x.shape(), axis);
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

}  // namespace l2::fn
