// Shape ops and lookups (see ops.h): views, explicit copies, and the embedding gather with its
// row-sparse backward (Note [Row-sparse gradients] in autograd/var.h).
#include <numeric>

#include "autograd/ops.h"
#include "tensor/kernels/elementwise.h"
#include "tensor/kernels/embedding.h"
#include "tensor/kernels/indexing.h"
#include "tensor/kernels/permute.h"

namespace l2 {

// A view: dx += dy viewed in x's shape
Var reshape(const Var& x, const Shape& shape) {
  Tensor y = x->value.reshape(shape);
  return make_op("reshape", y, {x}, [](Node& self) {
    Node& X = *self.inputs[0];
    if (X.requires_grad) kernels::axpy(1.0f, self.grad.data(), dense_grad(X).data(), self.grad.numel());
  });
}

namespace {
// The last two axes of x swapped, as a new tensor.
Tensor transposed(const Tensor& x) {
  const std::int64_t R = x.dim(-2), C = x.dim(-1);
  Tensor out = Tensor::empty(x.shape().with(-2, C).with(-1, R));
  if (out.numel() > 0) kernels::transpose_last2(out.data(), x.data(), x.numel() / (R * C), R, C);
  return out;
}
}  // namespace

// dx += transpose(dy)
Var transpose(const Var& x) {
  L2_CHECK(x->shape().ndim() >= 2, "transpose: need at least 2 axes, got " << x->shape());
  Tensor y = transposed(x->value);
  return make_op("transpose", y, {x}, [](Node& self) {
    Node& X = *self.inputs[0];
    if (X.requires_grad) accumulate_grad(X, transposed(self.grad));
  });
}

// dx += permute(dy, inverse(perm))
Var permute(const Var& x, std::initializer_list<int> perm) {
  L2_CHECK(int(perm.size()) == x->shape().ndim(), "permute: " << perm.size() << " axes given for " << x->shape());
  Tensor y = Tensor::empty(kernels::permuted_shape(x->shape(), perm.begin()));
  kernels::permute(y.data(), x->value.data(), x->shape(), perm.begin());
  std::array<int, Shape::kMaxDims> inverse{};
  int k = 0;
  for (int p : perm) inverse[size_t(p)] = k++;
  return make_op("permute", y, {x}, [inverse](Node& self) {
    Node& X = *self.inputs[0];
    if (!X.requires_grad) return;
    Tensor g = Tensor::empty(X.shape());
    kernels::permute(g.data(), self.grad.data(), self.grad.shape(), inverse.data());
    accumulate_grad(X, g);
  });
}

// y = x[.., begin:end, ..] along axis   dx[.., begin:end, ..] += dy
Var slice(const Var& x, int axis, std::int64_t begin, std::int64_t end) {
  const AxisView v = axis_view("slice", x->shape(), axis);
  L2_CHECK(0 <= begin && begin <= end && end <= v.A,
           "slice: [" << begin << ", " << end << ") out of range for axis " << v.axis << " of " << x->shape());
  Tensor y = Tensor::empty(x->shape().with(v.axis, end - begin));
  kernels::copy_slices(y.data(), end - begin, 0, x->value.data(), v.A, begin, v.outer, end - begin, v.inner, false);
  return make_op("slice", y, {x}, [v, begin, end](Node& self) {
    Node& X = *self.inputs[0];
    if (X.requires_grad)
      kernels::copy_slices(dense_grad(X).data(), v.A, begin, self.grad.data(), end - begin, 0, v.outer, end - begin,
                           v.inner, true);
  });
}

// y = [x_0, x_1, ...] along axis   dx_k += dy[part k]
Var concat(const std::vector<Var>& xs, int axis) {
  L2_CHECK(!xs.empty(), "concat: no inputs");
  const AxisView v0 = axis_view("concat", xs[0]->shape(), axis);
  std::vector<std::int64_t> offsets;
  std::int64_t total = 0;
  for (const Var& x : xs) {
    L2_CHECK(x->shape().ndim() == xs[0]->shape().ndim() && x->shape().with(v0.axis, 1) == xs[0]->shape().with(v0.axis, 1),
             "concat: " << x->shape() << " does not match " << xs[0]->shape() << " outside axis " << v0.axis);
    offsets.push_back(total);
    total += x->shape()[v0.axis];
  }
  Tensor y = Tensor::empty(xs[0]->shape().with(v0.axis, total));
  for (size_t k = 0; k < xs.size(); ++k) {
    const std::int64_t len = xs[k]->shape()[v0.axis];
    kernels::copy_slices(y.data(), total, offsets[k], xs[k]->value.data(), len, 0, v0.outer, len, v0.inner, false);
  }
  return make_op("concat", y, xs, [v0, offsets, total](Node& self) {
    for (size_t k = 0; k < self.inputs.size(); ++k) {
      Node& X = *self.inputs[k];
      if (!X.requires_grad) continue;
      const std::int64_t len = X.shape()[v0.axis];
      kernels::copy_slices(dense_grad(X).data(), len, 0, self.grad.data(), total, offsets[k], v0.outer, len, v0.inner,
                           true);
    }
  });
}

// y[n] = table[ids[n]]   dtable[ids[n]] += dy[n] for ids[n] != skip_id, row-sparse
Var gather_rows(const Var& table, const IndexTensor& ids, std::int32_t skip_id) {
  L2_CHECK(table->shape().ndim() == 2, "gather_rows: table must be [V, C], got " << table->shape());
  check_ids("gather_rows", ids, table->shape()[0]);
  Tensor y = Tensor::empty(ids.shape().appended(table->shape()[1]));
  kernels::gather_rows(y.data(), table->value.data(), ids.data(), ids.numel(), table->shape()[1]);
  return make_op("gather_rows", y, {table}, [ids, skip_id](Node& self) {
    Node& T = *self.inputs[0];
    if (!T.requires_grad) return;
    if (!T.grad.defined()) T.grad = Tensor::zeros(T.shape());
    std::vector<std::int32_t> touched;
    kernels::scatter_add_rows(T.grad.data(), self.grad.data(), ids.data(), ids.numel(), T.shape()[1], T.shape()[0],
                              skip_id, &touched);
    mark_grad_rows(T, touched);
  });
}

// y[..., k] = x[..., idx[k]]   dx[..., idx[k]] += dy[..., k]
Var index_select(const Var& x, const IndexTensor& idx) {
  L2_CHECK(idx.ndim() == 1, "index_select: indices must be 1-D, got " << idx.shape());
  const std::int64_t C = x->shape().last(), K = idx.numel(), R = x->value.numel() / std::max<std::int64_t>(1, C);
  check_ids("index_select", idx, C);
  Tensor y = Tensor::empty(x->shape().with(-1, K));
  kernels::index_select_last(y.data(), x->value.data(), idx.data(), R, C, K);
  return make_op("index_select", y, {x}, [idx, R, C, K](Node& self) {
    Node& X = *self.inputs[0];
    if (X.requires_grad) kernels::index_select_last_backward(dense_grad(X).data(), self.grad.data(), idx.data(), R, C, K);
  });
}

}  // namespace l2
