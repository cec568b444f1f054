// Element-wise ops (see ops.h for each derivative). The forward and the backward of each op sit
// together; the loops are in tensor/kernels/elementwise.h and tensor/kernels/indexing.h.
#include "autograd/ops.h"
#include "tensor/kernels/elementwise.h"
#include "tensor/kernels/indexing.h"

namespace l2 {

using kernels::Binary;
using kernels::Broadcast;
using kernels::Unary;

namespace {

Var binary_op(Binary op, const Var& a, const Var& b) {
  const Broadcast bc = kernels::broadcast_for(kernels::binary_name(op), a->shape(), b->shape());
  Tensor y = Tensor::empty(a->shape());
  kernels::binary_forward(op, y.data(), a->value.data(), b->value.data(), bc);
  // add/sub read neither operand in the backward; mul/div read both.
  const bool reads = op == Binary::Mul || op == Binary::Div;
  Tensor av = reads ? a->value : Tensor(), bv = reads ? b->value : Tensor();
  return make_op(kernels::binary_name(op), y, {a, b}, [op, bc, reads, av, bv](Node& self) {
    Node& A = *self.inputs[0];
    Node& B = *self.inputs[1];
    float* da = A.requires_grad ? dense_grad(A).data() : nullptr;
    float* db = B.requires_grad ? dense_grad(B).data() : nullptr;
    // The add/sub gradients do not depend on the operands; dy stands in for them (same size as a;
    // b needs its own size, so a zero buffer when broadcast).
    const float* ap = reads ? av.data() : self.grad.data();
    Tensor bz = reads || bc.kind == Broadcast::Same ? Tensor() : Tensor::zeros(B.shape());
    const float* bp = reads ? bv.data() : bc.kind == Broadcast::Same ? self.grad.data() : bz.data();
    kernels::binary_backward(op, da, db, self.grad.data(), ap, bp, bc);
  });
}

// Unary ops whose derivative reads the output y (saved) or the input x (saved).
Var unary_op(Unary op, const Var& x) {
  Tensor y = Tensor::empty(x->shape());
  kernels::unary_forward(op, y.data(), x->value.data(), y.numel());
  const bool reads_x = op == Unary::Log || op == Unary::Square;
  const bool reads_y = !reads_x && op != Unary::Neg;
  Tensor xv = reads_x ? x->value : Tensor(), yv = reads_y ? y : Tensor();
  return make_op(kernels::unary_name(op), y, {x}, [op, xv, yv](Node& self) {
    Node& X = *self.inputs[0];
    if (!X.requires_grad) return;
    kernels::unary_backward(op, dense_grad(X).data(), self.grad.data(), xv.defined() ? xv.data() : nullptr,
                            yv.defined() ? yv.data() : nullptr, self.grad.numel());
  });
}

}  // namespace

Var add(const Var& a, const Var& b) { return binary_op(Binary::Add, a, b); }
Var sub(const Var& a, const Var& b) { return binary_op(Binary::Sub, a, b); }
Var mul(const Var& a, const Var& b) { return binary_op(Binary::Mul, a, b); }
Var div(const Var& a, const Var& b) { return binary_op(Binary::Div, a, b); }

Var neg(const Var& x) { return unary_op(Unary::Neg, x); }
Var exp(const Var& x) { return unary_op(Unary::Exp, x); }
Var log(const Var& x) { return unary_op(Unary::Log, x); }
Var sqrt(const Var& x) { return unary_op(Unary::Sqrt, x); }
Var relu(const Var& x) { return unary_op(Unary::Relu, x); }
Var sigmoid(const Var& x) { return unary_op(Unary::Sigmoid, x); }
Var tanh(const Var& x) { return unary_op(Unary::Tanh, x); }

// y = c*x   dx += c*dy
Var scale(const Var& x, float c) {
  Tensor y = x->value.clone();
  kernels::scale(y.data(), c, y.numel());
  return make_op("scale", y, {x}, [c](Node& self) {
    Node& X = *self.inputs[0];
    if (X.requires_grad) kernels::axpy(c, self.grad.data(), dense_grad(X).data(), self.grad.numel());
  });
}

// y = x + c   dx += dy
Var add_scalar(const Var& x, float c) {
  Tensor y = Tensor::empty(x->shape());
  kernels::add_scalar(y.data(), x->value.data(), c, y.numel());
  return make_op("add_scalar", y, {x}, [](Node& self) {
    Node& X = *self.inputs[0];
    if (X.requires_grad) kernels::axpy(1.0f, self.grad.data(), dense_grad(X).data(), self.grad.numel());
  });
}

// y = x^p   dx += dy*p*x^(p-1)
Var pow(const Var& x, float p) {
  Tensor y = Tensor::empty(x->shape());
  kernels::pow_forward(y.data(), x->value.data(), p, y.numel());
  Tensor xv = x->value;
  return make_op("pow", y, {x}, [p, xv](Node& self) {
    Node& X = *self.inputs[0];
    if (X.requires_grad) kernels::pow_backward(dense_grad(X).data(), self.grad.data(), xv.data(), p, xv.numel());
  });
}

// y = mask ? value : x   dx += dy*[!mask]
Var masked_fill(const Var& x, const IndexTensor& mask, float value) {
  const kernels::MaskLayout layout = kernels::mask_layout("masked_fill", x->shape(), mask.shape());
  Tensor y = Tensor::empty(x->shape());
  kernels::masked_fill_forward(y.data(), x->value.data(), mask.data(), value, layout);
  return make_op("masked_fill", y, {x}, [mask, layout](Node& self) {
    Node& X = *self.inputs[0];
    if (X.requires_grad) kernels::masked_fill_backward(dense_grad(X).data(), self.grad.data(), mask.data(), layout);
  });
}

}  // namespace l2
