#include "autograd/var.h"

#include <algorithm>
#include <atomic>
#include <cstring>

#include "tensor/kernels/elementwise.h"

namespace l2 {

namespace {
std::atomic<std::uint64_t> g_next_seq{1};
thread_local bool t_grad_enabled = true;

Var make_leaf(Tensor value, bool requires_grad) {
  L2_CHECK(value.defined(), "Var: leaf with an undefined tensor");
  auto n = std::make_shared<Node>();
  n->value = std::move(value);
  n->requires_grad = requires_grad;
  n->seq = g_next_seq.fetch_add(1, std::memory_order_relaxed);
  return n;
}
}  // namespace

Node::~Node() {
  // Iterative teardown: steal the inputs of every node this one holds the last reference to,
  // so that destroying a long chain never recurses.
  std::vector<Var> stack = std::move(inputs);
  while (!stack.empty()) {
    Var v = std::move(stack.back());
    stack.pop_back();
    if (v && v.use_count() == 1) {
      for (Var& in : v->inputs) stack.push_back(std::move(in));
      v->inputs.clear();
      v->backward_fn = nullptr;
    }
  }
}

Var parameter(Tensor value) { return make_leaf(std::move(value), true); }
Var constant(Tensor value) { return make_leaf(std::move(value), false); }
Var detach(const Var& x) { return constant(x->value); }

Var make_op(const char* op, Tensor value, std::vector<Var> inputs, std::function<void(Node&)> fn) {
  bool needs = false;
  if (t_grad_enabled)
    for (const Var& in : inputs) needs = needs || in->requires_grad;
  Var n = make_leaf(std::move(value), needs);
  n->op = op;
  if (needs) {
    n->inputs = std::move(inputs);
    n->backward_fn = std::move(fn);
  }
  return n;
}

Tensor& dense_grad(Node& n) {
  if (!n.grad.defined()) n.grad = Tensor::zeros(n.value.shape());
  n.grad_state = GradState::Dense;
  return n.grad;
}

void mark_grad_rows(Node& n, const std::vector<std::int32_t>& rows) {
  L2_DCHECK(n.grad.defined());
  if (n.grad_state == GradState::Dense) return;
  if (n.grad_state == GradState::None) {
    n.grad_rows = rows;
  } else {
    std::vector<std::int32_t> merged;
    merged.reserve(n.grad_rows.size() + rows.size());
    std::set_union(n.grad_rows.begin(), n.grad_rows.end(), rows.begin(), rows.end(), std::back_inserter(merged));
    n.grad_rows = std::move(merged);
  }
  n.grad_state = GradState::Rows;
}

void accumulate_grad(Node& n, const Tensor& g) {
  check_same_shape("accumulate_grad", n.value.shape(), g.shape());
  Tensor& dst = dense_grad(n);
  kernels::axpy(1.0f, g.data(), dst.data(), g.numel());
}

void zero_grad(Node& n) {
  if (n.grad_state == GradState::Dense) {
    n.grad.zero_();
  } else if (n.grad_state == GradState::Rows) {
    const std::int64_t C = n.grad.numel() / std::max<std::int64_t>(1, n.grad.dim(0));
    for (std::int32_t r : n.grad_rows) std::memset(n.grad.data() + std::int64_t(r) * C, 0, sizeof(float) * C);
  }
  n.grad_rows.clear();
  n.grad_state = GradState::None;
}

void backward(const Var& root) {
  L2_CHECK(root->value.numel() == 1,
           "backward: the root has shape " << root->shape() << "; give a seed gradient for a non-scalar root");
  backward(root, Tensor::full(root->shape(), 1.0f));
}

void backward(const Var& root, const Tensor& seed) {
  check_same_shape("backward seed", root->shape(), seed.shape());
  if (!root->requires_grad) return;
  // Collect the reachable nodes that require a gradient (iterative DFS; the list owns them).
  static std::atomic<std::uint64_t> pass_counter{1};
  const std::uint64_t pass = pass_counter.fetch_add(1, std::memory_order_relaxed);
  std::vector<Var> order = {root};
  std::vector<Node*> stack = {root.get()};
  root->visit = pass;
  while (!stack.empty()) {
    Node* n = stack.back();
    stack.pop_back();
    for (const Var& in : n->inputs)
      if (in->requires_grad && in->visit != pass) {
        in->visit = pass;
        order.push_back(in);
        stack.push_back(in.get());
      }
  }
  std::sort(order.begin(), order.end(), [](const Var& a, const Var& b) { return a->seq > b->seq; });

  accumulate_grad(*root, seed);
  for (Var& v : order) {
    Node& n = *v;
    if (n.backward_fn) {
      if (n.grad_state != GradState::None) n.backward_fn(n);
      n.backward_fn = nullptr;
      n.inputs.clear();
      n.grad = Tensor();  // an intermediate gradient is not needed any more
      n.grad_state = GradState::None;
    }
    v.reset();
  }
}

bool grad_enabled() { return t_grad_enabled; }
NoGradGuard::NoGradGuard() : previous_(t_grad_enabled) { t_grad_enabled = false; }
NoGradGuard::~NoGradGuard() { t_grad_enabled = previous_; }

}  // namespace l2
