// Losses (see ops.h).
#include "autograd/ops.h"
#include "tensor/functional.h"
#include "tensor/kernels/embedding.h"
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

// Saves h, the table and the per-row gradient factors.
Var sampled_bce_loss(const Var& h, const Var& table, const IndexTensor& pos, const IndexTensor& neg, const Tensor& weight,
                     double denom) {
  const std::int64_t C = h->shape().last(), N = h->value.numel() / std::max<std::int64_t>(1, C);
  L2_CHECK(table->shape().ndim() == 2 && table->shape()[1] == C,
           "sampled_bce_loss: the table must be [V, " << C << "], got " << table->shape());
  L2_CHECK(pos.numel() == N && neg.numel() == N && weight.numel() == N,
           "sampled_bce_loss: " << N << " rows of h but ids " << pos.shape() << ", " << neg.shape() << " and weights "
                                << weight.shape());
  L2_CHECK(denom > 0.0, "sampled_bce_loss: the normaliser must be positive, got " << denom);
  const std::int64_t V = table->shape()[0];
  check_ids("sampled_bce_loss (positives)", pos, V);
  check_ids("sampled_bce_loss (negatives)", neg, V);
  Tensor gpos = Tensor::empty(Shape{N}), gneg = Tensor::empty(Shape{N});
  const double loss = kernels::sampled_bce_forward(gpos.data(), gneg.data(), h->value.data(), table->value.data(),
                                                   pos.data(), neg.data(), weight.data(), N, C, denom);
  Tensor hv = h->value, tv = table->value;
  return make_op("sampled_bce_loss", Tensor::scalar(float(loss)), {h, table},
                 [hv, tv, pos, neg, gpos, gneg, N, C, V](Node& self) {
                   const float dy = self.grad[0];
                   Node& H = *self.inputs[0];
                   Node& E = *self.inputs[1];
                   if (H.requires_grad)
                     kernels::sampled_bce_backward_h(dense_grad(H).data(), gpos.data(), gneg.data(), dy, tv.data(),
                                                     pos.data(), neg.data(), N, C);
                   if (!E.requires_grad) return;
                   // Rows dy*g*h_n, scattered into the table by the ids [p_0, q_0, p_1, q_1, ...];
                   // rows without a target carry a zero factor and id 0, the padding row, which is skipped.
                   Tensor rows = Tensor::empty(Shape{2 * N, C});
                   kernels::sampled_bce_table_rows(rows.data(), gpos.data(), gneg.data(), dy, hv.data(), N, C);
                   IndexTensor ids = IndexTensor::empty(Shape{2 * N});
                   for (std::int64_t n = 0; n < N; ++n) {
                     const bool live = gpos[n] != 0.0f || gneg[n] != 0.0f;
                     ids[2 * n] = live ? pos[n] : 0;
                     ids[2 * n + 1] = live ? neg[n] : 0;
                   }
                   if (!E.grad.defined()) E.grad = Tensor::zeros(E.shape());
                   std::vector<std::int32_t> touched;
                   kernels::scatter_add_rows(E.grad.data(), rows.data(), ids.data(), 2 * N, C, V, 0, &touched);
                   mark_grad_rows(E, touched);
                 });
}

}  // namespace l2
