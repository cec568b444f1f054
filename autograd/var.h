// The differentiable variable and the tape.
//
// A Var is a shared handle to a Node: the value, a lazily allocated gradient, whether it
// requires a gradient, and (for results of ops) the inputs and the closure that sends the
// gradient back to them. The graph is recorded eagerly as ops run. backward() orders the
// reachable nodes by their creation number (PyTorch's sequence_nr): a node is always created
// after its inputs, so descending creation order is a valid reverse topological order, found
// without recursion and identical on every run. The graph is freed while it is walked, and
// ~Node tears long chains down iteratively so that dropping a 10^5-op graph cannot overflow
// the stack.
//
// Note [Row-sparse gradients]
// An embedding table of tens of thousands of rows receives gradient only in the rows a batch
// looked up. A leaf's gradient buffer is therefore kept with a state: None (all zero), Rows (only
// the listed rows may be non-zero) or Dense. gather_rows marks rows; every other op marks the
// whole buffer dense. zero_grad() then clears only what was written, and the lazy Adam update
// (nn::Adam in nn/optim.h) touches only the listed rows: no step costs a pass over the whole table.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "tensor/tensor.h"

namespace l2 {

struct Node;
using Var = std::shared_ptr<Node>;

enum class GradState : std::uint8_t { None, Rows, Dense };

struct Node {
  Tensor value;
  Tensor grad;  // allocated on first use; all zero whenever grad_state == None
  GradState grad_state = GradState::None;
  std::vector<std::int32_t> grad_rows;  // sorted, distinct; meaningful when grad_state == Rows
  bool requires_grad = false;
  const char* op = "leaf";
  std::uint64_t seq = 0;    // creation order
  std::uint64_t visit = 0;  // last backward pass that reached this node
  std::vector<Var> inputs;
  // Sends self.grad to the inputs' gradients (accumulating). Captures tensors only, never Vars,
  // so that the graph holds no cycles.
  std::function<void(Node& self)> backward_fn;

  Node() = default;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  ~Node();

  const Shape& shape() const { return value.shape(); }
};

// A leaf holding `value`; parameters require a gradient, constants do not.
Var parameter(Tensor value);
Var constant(Tensor value);
// The same value, cut from the graph.
Var detach(const Var& x);

// Records an op: returns a node with `value` whose backward_fn is `fn` when gradients are enabled
// and some input requires one; otherwise a constant (nothing is recorded).
Var make_op(const char* op, Tensor value, std::vector<Var> inputs, std::function<void(Node&)> fn);

// The node's gradient buffer for a dense write (allocated and zeroed on first use).
Tensor& dense_grad(Node& n);
// Records that `rows` (sorted, distinct) of n's gradient buffer were written; the buffer must
// exist. See Note [Row-sparse gradients].
void mark_grad_rows(Node& n, const std::vector<std::int32_t>& rows);
// Adds g (same shape as n.value) into n's gradient.
void accumulate_grad(Node& n, const Tensor& g);
// Clears a leaf's gradient to all zero, touching only what was written.
void zero_grad(Node& n);

// Reverse-mode sweep from `root`, which must hold one element unless `seed` (same shape) is
// given. Gradients accumulate (+=) into every leaf that requires one; intermediate gradients and
// the graph behind root are freed.
void backward(const Var& root);
void backward(const Var& root, const Tensor& seed);

// Gradient recording is on by default; NoGradGuard turns it off for its scope (evaluation,
// optimiser steps). Thread-local.
bool grad_enabled();
class NoGradGuard {
 public:
  NoGradGuard();
  ~NoGradGuard();
  NoGradGuard(const NoGradGuard&) = delete;
  NoGradGuard& operator=(const NoGradGuard&) = delete;

 private:
  bool previous_;
};

}  // namespace l2
