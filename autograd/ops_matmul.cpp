// Matrix products (see ops.h). With op(m) the matrix or its transpose:
//   y = op(a) op(b)  =>  d op(a) = dy op(b)^T,  d op(b) = op(a)^T dy,
// and a transposed operand receives the transpose of its d op(.). Each case is one GEMM that
// accumulates straight into the gradient (beta = 1).
#include "autograd/ops.h"
#include "tensor/blas.h"
#include "tensor/functional.h"

namespace l2 {

namespace {
// C[i] = op(A[i]) op(B[i]) + beta*C[i] over `batch` contiguous products.
void bmm(bool ta, bool tb, std::int64_t batch, std::int64_t M, std::int64_t N, std::int64_t K, const float* A,
         const float* B, float beta, float* C) {
  gemm_batched(ta, tb, batch, M, N, K, 1.0f, A, ta ? M : K, M * K, B, tb ? K : N, K * N, beta, C, N, M * N);
}
}  // namespace

Var matmul(const Var& a, const Var& b, bool ta, bool tb) {
  Tensor y = l2::matmul(a->value, b->value, ta, tb);  // checks the shapes
  const std::int64_t K = ta ? a->value.dim(-2) : a->value.dim(-1);
  const std::int64_t N = y.dim(-1);
  // A matrix b shared by every row of a flattens a's leading axes into rows; otherwise a batch.
  const bool shared_b = b->value.ndim() == 2 && a->value.ndim() > 2;
  const std::int64_t M = shared_b ? a->value.numel() / K : y.dim(-2);
  const std::int64_t batch = shared_b ? 1 : y.numel() / (M * N);
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

}  // namespace l2
