// Neural-network ops with hand-written backward passes (see ops.h): each saves only what its
// backward reads, as noted beside it.
#include "autograd/ops.h"
#include "tensor/kernels/dropout.h"
#include "tensor/kernels/layer_norm.h"
#include "tensor/kernels/softmax.h"

namespace l2 {

// Saves y.
Var softmax(const Var& x) {
  L2_CHECK(x->shape().ndim() >= 1 && x->shape().last() > 0, "softmax: empty last axis in " << x->shape());
  Tensor y = Tensor::empty(x->shape());
  kernels::softmax_forward(y.data(), x->value.data(), y.shape().rows(), y.shape().last());
  return make_op("softmax", y, {x}, [y](Node& self) {
    Node& X = *self.inputs[0];
    if (X.requires_grad)
      kernels::softmax_backward(dense_grad(X).data(), self.grad.data(), y.data(), y.shape().rows(), y.shape().last());
  });
}

// Saves y.
Var log_softmax(const Var& x) {
  L2_CHECK(x->shape().ndim() >= 1 && x->shape().last() > 0, "log_softmax: empty last axis in " << x->shape());
  Tensor y = Tensor::empty(x->shape());
  kernels::log_softmax_forward(y.data(), x->value.data(), y.shape().rows(), y.shape().last());
  return make_op("log_softmax", y, {x}, [y](Node& self) {
    Node& X = *self.inputs[0];
    if (X.requires_grad)
      kernels::log_softmax_backward(dense_grad(X).data(), self.grad.data(), y.data(), y.shape().rows(),
                                    y.shape().last());
  });
}

// Saves x, w, and the per-row mean and 1/std.
Var layer_norm(const Var& x, const Var& w, const Var& b, float eps) {
  const std::int64_t C = x->shape().last(), N = x->value.numel() / std::max<std::int64_t>(1, C);
  L2_CHECK(w->shape() == Shape{C} && b->shape() == Shape{C},
           "layer_norm: weight " << w->shape() << " and bias " << b->shape() << " must be [" << C << "] for input "
                                 << x->shape());
  Tensor y = Tensor::empty(x->shape()), mean = Tensor::empty(Shape{N}), rstd = Tensor::empty(Shape{N});
  kernels::layer_norm_forward(y.data(), mean.data(), rstd.data(), x->value.data(), w->value.data(), b->value.data(), N,
                              C, eps);
  Tensor xv = x->value, wv = w->value;
  return make_op("layer_norm", y, {x, w, b}, [xv, wv, mean, rstd, N, C](Node& self) {
    Node& X = *self.inputs[0];
    Node& W = *self.inputs[1];
    Node& B = *self.inputs[2];
    kernels::layer_norm_backward(X.requires_grad ? dense_grad(X).data() : nullptr,
                                 W.requires_grad ? dense_grad(W).data() : nullptr,
                                 B.requires_grad ? dense_grad(B).data() : nullptr, self.grad.data(), xv.data(),
                                 wv.data(), mean.data(), rstd.data(), N, C);
  });
}

// Saves nothing: the backward regenerates the mask from (seed, stream).
Var dropout(const Var& x, float p, std::uint64_t seed, std::uint64_t stream) {
  L2_CHECK(p >= 0.0f && p < 1.0f, "dropout: rate " << p << " outside [0, 1)");
  if (p == 0.0f) return x;
  Tensor y = Tensor::empty(x->shape());
  kernels::dropout_forward(y.data(), x->value.data(), y.numel(), p, seed, stream);
  return make_op("dropout", y, {x}, [p, seed, stream](Node& self) {
    Node& X = *self.inputs[0];
    if (X.requires_grad)
      kernels::dropout_backward(dense_grad(X).data(), self.grad.data(), self.grad.numel(), p, seed, stream);
  });
}

}  // namespace l2
