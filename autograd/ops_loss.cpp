// Losses (see ops.h).
#include "autograd/ops.h"
#include "tensor/kernels/loss.h"

namespace l2 {

// Saves z and t.
Var bce_with_logits(const Var& logits, const Tensor& targets) {
  check_same_shape("bce_with_logits", logits->shape(), targets.shape());
  Tensor y = Tensor::empty(logits->shape());
  kernels::bce_with_logits_forward(y.data(), logits->value.data(), targets.data(), y.numel());
  Tensor z = logits->value;
  return make_op("bce_with_logits", y, {logits}, [z, targets](Node& self) {
    Node& Z = *self.inputs[0];
    if (Z.requires_grad)
      kernels::bce_with_logits_backward(dense_grad(Z).data(), self.grad.data(), z.data(), targets.data(), z.numel());
  });
}

// Saves log_softmax(z) and the targets.
Var cross_entropy(const Var& logits, const IndexTensor& target) {
  L2_CHECK(logits->shape().ndim() == 2 && target.ndim() == 1 && target.dim(0) == logits->shape()[0],
           "cross_entropy: logits must be [N, K] and targets [N], got " << logits->shape() << " and " << target.shape());
  const std::int64_t N = logits->shape()[0], K = logits->shape()[1];
  check_ids("cross_entropy", target, K);
  Tensor y = Tensor::empty(Shape{N}), logp = Tensor::empty(logits->shape());
  kernels::cross_entropy_forward(y.data(), logp.data(), logits->value.data(), target.data(), N, K);
  return make_op("cross_entropy", y, {logits}, [logp, target, N, K](Node& self) {
    Node& Z = *self.inputs[0];
    if (Z.requires_grad)
      kernels::cross_entropy_backward(dense_grad(Z).data(), self.grad.data(), logp.data(), target.data(), N, K);
  });
}

}  // namespace l2
