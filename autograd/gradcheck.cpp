#include "autograd/gradcheck.h"

#include <cmath>
#include <sstream>

#include "tensor/random.h"

namespace l2 {

namespace {
constexpr float kSentinel = 0.375f;

double projected(const Tensor& out, const Tensor& R) {
  double s = 0.0;
  for (std::int64_t i = 0; i < out.numel(); ++i) s += double(out[i]) * R[i];
  return s;
}
}  // namespace

namespace {

// Fills the leaves' gradients with the sentinel, backpropagates Σ R ⊙ f() and compares each
// leaf's gradient (minus the sentinel) with central differences of `loss_at`.
GradcheckResult check_leaves(const std::function<Var()>& build, const std::function<double(const Tensor&)>& loss_at,
                             const std::vector<Var>& leaves, const std::vector<Tensor*>& values,
                             const GradcheckOptions& o) {
  GradcheckResult result;
  std::ostringstream report;
  for (const Var& leaf : leaves)
    if (leaf->requires_grad) dense_grad(*leaf).fill_(kSentinel);
  Var out = build();
  Tensor R = Tensor::empty(out->shape());
  fill_uniform(R.data(), R.numel(), o.seed, 7, -1.0f, 1.0f);
  backward(out, R);
  Generator pick(o.seed, 11);
  for (size_t k = 0; k < leaves.size(); ++k) {
    Node& leaf = *leaves[k];
    if (!leaf.requires_grad) {
      if (leaf.grad.defined() && leaf.grad_state != GradState::None) {
        result.ok = false;
        report << "input " << k << ": a constant received a gradient\n";
      }
      continue;
    }
    Tensor& x = *values[k];
    const std::int64_t n = x.numel();
    std::vector<std::int64_t> idx;
    if (n <= o.max_checks) {
      for (std::int64_t i = 0; i < n; ++i) idx.push_back(i);
    } else {
      idx = pick.sample_without_replacement(n, o.max_checks);
    }
    for (std::int64_t i : idx) {
      const float saved = x[i];
      x[i] = saved + o.eps;
      const double up = loss_at(R);
      x[i] = saved - o.eps;
      const double down = loss_at(R);
      x[i] = saved;
      const double numeric = (up - down) / (2.0 * double(o.eps));
      const double analytic = double(leaf.grad[i]) - kSentinel;
      const double bound = o.atol + o.rtol * std::max(std::fabs(analytic), std::fabs(numeric));
      const double err = std::fabs(analytic - numeric) / bound;
      result.worst = std::max(result.worst, err);
      if (!(err <= 1.0)) {
        result.ok = false;
        report << "input " << k << " " << leaf.shape() << " element " << i << ": analytic " << analytic << ", numeric "
               << numeric << "\n";
      }
    }
  }
  result.report = report.str();
  return result;
}

}  // namespace

GradcheckResult gradcheck(const std::function<Var(const std::vector<Var>&)>& f, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& o, const std::vector<bool>& requires_grad) {
  std::vector<Tensor> values;
  std::vector<Var> leaves;
  for (size_t k = 0; k < inputs.size(); ++k) {
    values.push_back(inputs[k].clone());
    const bool rg = requires_grad.empty() || requires_grad[k];
    leaves.push_back(rg ? parameter(values.back()) : constant(values.back()));
  }
  std::vector<Tensor*> ptrs;
  for (Tensor& v : values) ptrs.push_back(&v);
  auto loss_at = [&](const Tensor& R) {
    NoGradGuard guard;
    std::vector<Var> xs;
    for (const Tensor& v : values) xs.push_back(constant(v));
    return projected(f(xs)->value, R);
  };
  return check_leaves([&] { return f(leaves); }, loss_at, leaves, ptrs, o);
}

GradcheckResult gradcheck_leaves(const std::function<Var()>& f, const std::vector<Var>& leaves,
                                 const GradcheckOptions& o) {
  std::vector<Tensor*> ptrs;
  for (const Var& v : leaves) ptrs.push_back(&v->value);
  auto loss_at = [&](const Tensor& R) {
    NoGradGuard guard;
    return projected(f()->value, R);
  };
  return check_leaves(f, loss_at, leaves, ptrs, o);
}

}  // namespace l2
