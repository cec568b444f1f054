// Reductions (see ops.h). Sums are formed in an order fixed by the shape (tensor/kernels/reduce.h).
#include "autograd/ops.h"
#include "tensor/kernels/elementwise.h"
#include "tensor/kernels/reduce.h"

namespace l2 {

namespace {
// y = c * Σ x   dx += c*dy
Var scaled_total(const char* op, const Var& x, float c) {
  Tensor y = Tensor::scalar(float(kernels::sum_all(x->value.data(), x->value.numel()) * c));
  return make_op(op, y, {x}, [c](Node& self) {
    Node& X = *self.inputs[0];
    if (!X.requires_grad) return;
    const float g = self.grad[0] * c;
    Tensor& dx = dense_grad(X);
    kernels::expand_axis_add(dx.data(), &g, 1, dx.numel(), 1, 1.0f);
  });
}

// y = c * Σ_axis x   dx += c*dy repeated along the axis
Var scaled_axis_sum(const char* op, const Var& x, int axis, bool average) {
  const AxisView v = axis_view(op, x->shape(), axis);
  const float c = average ? 1.0f / float(v.A) : 1.0f;
  Tensor y = Tensor::empty(x->shape().without(v.axis));
  kernels::sum_axis(y.data(), x->value.data(), v.outer, v.A, v.inner, false);
  if (average) kernels::scale(y.data(), c, y.numel());
  return make_op(op, y, {x}, [v, c](Node& self) {
    Node& X = *self.inputs[0];
    if (X.requires_grad) kernels::expand_axis_add(dense_grad(X).data(), self.grad.data(), v.outer, v.A, v.inner, c);
  });
}
}  // namespace

Var sum(const Var& x) { return scaled_total("sum", x, 1.0f); }
Var mean(const Var& x) {
  L2_CHECK(x->value.numel() > 0, "mean: empty tensor " << x->shape());
  return scaled_total("mean", x, 1.0f / float(x->value.numel()));
}
Var sum(const Var& x, int axis) { return scaled_axis_sum("sum", x, axis, false); }
Var mean(const Var& x, int axis) { return scaled_axis_sum("mean", x, axis, true); }

// y = Σ m*x / max(Σ m, 1)   dx += dy*m / max(Σ m, 1)
Var masked_mean(const Var& x, const Tensor& mask) {
  check_same_shape("masked_mean", x->shape(), mask.shape());
  const std::int64_t n = mask.numel();
  const double count = kernels::sum_all(mask.data(), n);
  const float inv = float(1.0 / (count > 1.0 ? count : 1.0));
  Tensor prod = Tensor::empty(x->shape());
  kernels::binary_forward(kernels::Binary::Mul, prod.data(), x->value.data(), mask.data(),
                          kernels::broadcast_for("mul", x->shape(), mask.shape()));
  Tensor y = Tensor::scalar(float(kernels::sum_all(prod.data(), n) * inv));
  return make_op("masked_mean", y, {x}, [mask, inv](Node& self) {
    Node& X = *self.inputs[0];
    if (X.requires_grad) kernels::axpy(self.grad[0] * inv, mask.data(), dense_grad(X).data(), mask.numel());
  });
}

}  // namespace l2
