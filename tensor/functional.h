// Whole-tensor maths off the tape (namespace l2::fn): for code that computes with plain tensors,
// such as evaluation, the simulators and tests. Each function checks shapes (throwing an l2::Error
// that names the operation and the shapes), allocates its result and calls the kernels.
//
// One route from an op to its kernel: the differentiable ops of autograd/ops.h do not come through
// here; they call the kernels directly, the forward beside the backward, which can only call
// kernels. The shape rules both sides need live once, beside the kernels they serve
// (kernels::broadcast_for, kernels::permuted_shape, axis_view in shape.h, matmul_dims in gemm.h).
// The namespace keeps these names apart from the ops' (fn::softmax(Tensor), softmax(Var)).
#pragma once

#include <cstdint>
#include <initializer_list>

#include "tensor/kernels/elementwise.h"
#include "tensor/tensor.h"

namespace l2::fn {

Tensor unary(kernels::Unary op, const Tensor& x);
Tensor binary(kernels::Binary op, const Tensor& a, const Tensor& b);  // b broadcast over a
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor scaled(const Tensor& x, float a);  // a * x

// Matrix products; the shapes as matmul_dims in tensor/gemm.h.
Tensor matmul(const Tensor& a, const Tensor& b, bool trans_a = false, bool trans_b = false);

Tensor sum(const Tensor& x, int axis);  // the axis removed
Tensor mean(const Tensor& x, int axis);
float sum_all(const Tensor& x);

Tensor softmax(const Tensor& x);      // along the last axis
Tensor log_softmax(const Tensor& x);  // along the last axis

Tensor gather_rows(const Tensor& table, const IndexTensor& ids);  // [V, C] x ids[...] -> [..., C]
Tensor permute(const Tensor& x, std::initializer_list<int> perm);
Tensor transpose(const Tensor& x);  // swap the last two axes

}  // namespace l2::fn
