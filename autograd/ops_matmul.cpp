// Matrix products (see ops.h). With op(m) the matrix or its transpose:
//   y = op(a) op(b)  =>  d op(a) = dy op(b)^T,  d op(b) = op(a)^T dy,
// and a transposed operand receives the transpose of its d op(.). Each case is one GEMM that
// accumulates straight into the gradient (beta = 1).
#include "autograd/ops.h"
#include "tensor/gemm.h"
#include "tensor/kernels/reduce.h"

namespace l2 {

namespace {
// C[i] = op(A[i]) op(B[i]) + beta*C[i] over `batch` contiguous products.
void bmm(bool ta, bool tb, std::int64_t batch, std::int64_t M, std::int64_t N, std::int64_t K, const float* A,
         const float* B, float beta, float* C) {
  gemm_batched(ta, tb, batch, M, N, K, 1.0f, A, ta ? M : K, M * K, B, tb ? K : N, K * N, beta, C, N, M * N);
}
}  // namespace

Var matmul(const Var& a, const Var& b, bool ta, bool tb) {
  const MatmulDims d = matmul_dims(a->shape(), b->shape(), ta, tb);
  Tensor y = Tensor::empty(d.out);
  matmul_gemm(d, ta, tb, a->value.data(), b->value.data(), 0.0f, y.data());
  // A matrix b shared by every row of a flattens a's leading axes into M rows; otherwise a batch.
  const bool shared_b = d.shared_b;
  const std::int64_t M = d.M, N = d.N, K = d.K, batch = d.batch;
  Tensor av = a->value, bv = b->value;
  return make_op("matmul", y, {a, b}, [=](Node& self) {
    Node& A = *self.inputs[0];
    Node& B = *self.inputs[1];
    const float* dy = self.grad.data();
    if (A.requires_grad) {
      float* da = dense_grad(A).data();
      if (!ta)
        bmm(false, !tb, batch, M, K, N, dy, bv.data(), 1.0f, da);  // dA = dy op(b)^T
      else
        bmm(tb, true, batch, K, M, N, bv.data(), dy, 1.0f, da);  // dA^T: A stored [K, M] gets op(b) dy^T
    }
    if (B.requires_grad) {
      float* db = dense_grad(B).data();
      if (shared_b) {  // one product over all rows: sums over them
        if (!tb)
          gemm(true, false, K, N, M, 1.0f, av.data(), dy, 1.0f, db);
        else
          gemm(true, false, N, K, M, 1.0f, dy, av.data(), 1.0f, db);
      } else if (!tb) {
        bmm(!ta, false, batch, K, N, M, av.data(), dy, 1.0f, db);  // dB = op(a)^T dy
      } else {
        bmm(true, ta, batch, N, K, M, dy, av.data(), 1.0f, db);  // dB^T: B stored [N, K] gets dy^T op(a)
      }
    }
  });
}

// Saves x and w. The bias is the GEMM's starting value (beta = 1), so the product never passes
// through a tensor of its own, and the backward reads dy directly (matmul followed by add would
// allocate, clear and fill a gradient for the product first).
Var linear(const Var& x, const Var& w, const Var& b) {
  L2_CHECK(w->shape().ndim() == 2 && x->shape().ndim() >= 1 && x->shape().last() == w->shape()[0],
           "linear: input " << x->shape() << " does not match weight " << w->shape() << " ([in, out])");
  const std::int64_t K = w->shape()[0], N = w->shape()[1], M = x->value.numel() / std::max<std::int64_t>(1, K);
  L2_CHECK(!b || b->shape() == Shape{N}, "linear: bias " << b->shape() << " must be [" << N << "]");
  Tensor y = Tensor::empty(x->shape().with(-1, N));
  affine(y.data(), x->value.data(), w->value.data(), b ? b->value.data() : nullptr, M, N, K);
  Tensor xv = x->value, wv = w->value;
  std::vector<Var> inputs = {x, w};
  if (b) inputs.push_back(b);
  return make_op("linear", y, std::move(inputs), [xv, wv, M, N, K](Node& self) {
    Node& X = *self.inputs[0];
    Node& W = *self.inputs[1];
    const float* dy = self.grad.data();
    if (X.requires_grad) gemm(false, true, M, K, N, 1.0f, dy, wv.data(), 1.0f, dense_grad(X).data());  // dx = dy W^T
    if (W.requires_grad) gemm(true, false, K, N, M, 1.0f, xv.data(), dy, 1.0f, dense_grad(W).data());  // dW = x^T dy
    if (self.inputs.size() > 2 && self.inputs[2]->requires_grad)
      kernels::sum_axis(dense_grad(*self.inputs[2]).data(), dy, 1, M, N, true);  // db = sum of dy's rows
  });
}

}  // namespace l2
