// Whole-tensor maths: each function checks shapes (throwing an l2::Error that names the operation
// and the shapes), allocates its result and calls the kernels. The autograd layer builds its
// forward passes from these, so shape rules live in one place.
#pragma once

#include <cstdint>

#include "tensor/kernels/elementwise.h"
#include "tensor/tensor.h"

namespace l2 {

Tensor unary(kernels::Unary op, const Tensor& x);
Tensor binary(kernels::Binary op, const Tensor& a, const Tensor& b);  // b broadcast over a
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor scaled(const Tensor& x, float a);  // a * x

// Matrix products; op(a) is a with its last two axes swapped when trans_a, likewise b.
//   a [..., M, K] with b [K, N]          -> [..., M, N] (a's leading axes flattened into rows; not with trans_a)
//   a [..., M, K] with b [..., K, N]     -> [..., M, N] (same leading axes: a batch of products)
Tensor matmul(const Tensor& a, const Tensor& b, bool trans_a = false, bool trans_b = false);

Tensor sum(const Tensor& x, int axis);  // the axis removed
Tensor mean(const Tensor& x, int axis);
float sum_all(const Tensor& x);

Tensor softmax(const Tensor& x);      // along the last axis
Tensor log_softmax(const Tensor& x);  // along the last axis

Tensor gather_rows(const Tensor& table, const IndexTensor& ids);  // [V, C] x ids[...] -> [..., C]
Tensor permute(const Tensor& x, std::initializer_list<int> perm);
Tensor transpose(const Tensor& x);  // swap the last two axes

// Throws unless every id is in [0, V); names `op` and the first offending position.
void check_ids(const char* op, const IndexTensor& ids, std::int64_t V);

// Largest absolute difference between two tensors of the same shape.
float max_abs_diff(const Tensor& a, const Tensor& b);

}  // namespace l2
