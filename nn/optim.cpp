#include "nn/optim.h"

#include <cmath>

#include "tensor/kernels/elementwise.h"
#include "tensor/kernels/optim.h"

namespace l2::nn {

namespace {
// Runs fn(offset, count) over the parts of p's gradient that hold values: every element when
// dense, each listed row when row-sparse, nothing when no gradient was written.
template <class F>
void for_each_written(const Node& p, bool rows_as_dense, F&& fn) {
  if (p.grad_state == GradState::None) return;
  if (p.grad_state == GradState::Dense || rows_as_dense) {
    fn(std::int64_t(0), p.value.numel());
    return;
  }
  const std::int64_t C = p.value.numel() / std::max<std::int64_t>(1, p.value.dim(0));
  for (std::int32_t r : p.grad_rows) fn(std::int64_t(r) * C, C);
}

void check_state_shape(const StateDict& s, const std::string& key, const Shape& shape) {
  L2_CHECK(s.tensor(key).shape() == shape, "optimiser state '" << key << "' has shape " << s.tensor(key).shape()
                                                               << " but the parameter is " << shape);
}
}  // namespace

void Optimizer::zero_grad() {
  for (auto& [n, p] : params_) l2::zero_grad(*p);
}

// ---- Adam ---------------------------------------------------------------------------------------

Adam::Adam(NamedParams params, const AdamOptions& o) : Optimizer(std::move(params)), o_(o) {
  lr_ = o.lr;
  m_.resize(params_.size());
  v_.resize(params_.size());
}

void Adam::step() {
  NoGradGuard guard;
  ++steps_;
  kernels::AdamStep s;
  s.lr = lr_;
  s.beta1 = o_.beta1;
  s.beta2 = o_.beta2;
  s.eps = o_.eps;
  s.weight_decay = o_.weight_decay;
  s.decoupled = o_.decoupled_weight_decay;
  s.bias1 = float(1.0 - std::pow(double(o_.beta1), double(steps_)));
  s.bias2 = float(1.0 - std::pow(double(o_.beta2), double(steps_)));
  for (size_t k = 0; k < params_.size(); ++k) {
    Node& p = *params_[k].second;
    if (p.grad_state == GradState::None) continue;
    if (!m_[k].defined()) {
      m_[k] = Tensor::zeros(p.shape());
      v_[k] = Tensor::zeros(p.shape());
    }
    if (p.grad_state == GradState::Rows && o_.lazy_rows) {
      const std::int64_t C = p.value.numel() / p.value.dim(0);
      kernels::adam_update_rows(p.value.data(), p.grad.data(), m_[k].data(), v_[k].data(), p.grad_rows.data(),
                                std::int64_t(p.grad_rows.size()), C, s);
    } else {
      kernels::adam_update(p.value.data(), p.grad.data(), m_[k].data(), v_[k].data(), p.value.numel(), s);
    }
  }
}

void Adam::copy_state_from(const Adam& other) {
  L2_CHECK(other.params_.size() == params_.size(), "Adam::copy_state_from: " << other.params_.size() << " parameters into "
                                                                              << params_.size());
  steps_ = other.steps_;
  lr_ = other.lr_;
  for (size_t k = 0; k < params_.size(); ++k) {
    if (!other.m_[k].defined()) {
      m_[k] = v_[k] = Tensor();
      continue;
    }
    check_same_shape("Adam::copy_state_from", other.m_[k].shape(), params_[k].second->shape());
    if (!m_[k].defined() || m_[k].shape() != other.m_[k].shape()) {
      m_[k] = Tensor::empty(other.m_[k].shape());
      v_[k] = Tensor::empty(other.v_[k].shape());
    }
    m_[k].copy_from(other.m_[k]);
    v_[k].copy_from(other.v_[k]);
  }
}

StateDict Adam::state() const {
  StateDict s;
  s.set_int("step", steps_);
  for (size_t k = 0; k < params_.size(); ++k) {
    if (!m_[k].defined()) continue;
    s.tensors["m." + params_[k].first] = m_[k];
    s.tensors["v." + params_[k].first] = v_[k];
  }
  return s;
}

void Adam::load_state(const StateDict& s) {
  steps_ = s.get_int("step");
  for (size_t k = 0; k < params_.size(); ++k) {
    const std::string& name = params_[k].first;
    if (!s.tensors.count("m." + name)) {
      m_[k] = v_[k] = Tensor();
      continue;
    }
    check_state_shape(s, "m." + name, params_[k].second->shape());
    check_state_shape(s, "v." + name, params_[k].second->shape());
    m_[k] = s.tensor("m." + name).clone();
    v_[k] = s.tensor("v." + name).clone();
  }
}

// ---- Adagrad ------------------------------------------------------------------------------------

Adagrad::Adagrad(NamedParams params, const AdagradOptions& o) : Optimizer(std::move(params)), o_(o) {
  lr_ = o.lr;
  acc_.resize(params_.size());
}

void Adagrad::step() {
  NoGradGuard guard;
  ++steps_;
  for (size_t k = 0; k < params_.size(); ++k) {
    Node& p = *params_[k].second;
    if (p.grad_state == GradState::None) continue;
    if (!acc_[k].defined()) acc_[k] = Tensor::full(p.shape(), o_.initial_accumulator);
    // An untouched row would get acc += 0 and p -= 0: updating written rows only is exact.
    for_each_written(p, false, [&](std::int64_t off, std::int64_t n) {
      kernels::adagrad_update(p.value.data() + off, p.grad.data() + off, acc_[k].data() + off, n, lr_, o_.eps,
                              o_.weight_decay);
    });
  }
}

StateDict Adagrad::state() const {
  StateDict s;
  s.set_int("step", steps_);
  for (size_t k = 0; k < params_.size(); ++k)
    if (acc_[k].defined()) s.tensors["acc." + params_[k].first] = acc_[k];
  return s;
}

void Adagrad::load_state(const StateDict& s) {
  steps_ = s.get_int("step");
  for (size_t k = 0; k < params_.size(); ++k) {
    const std::string key = "acc." + params_[k].first;
    if (!s.tensors.count(key)) {
      acc_[k] = Tensor();
      continue;
    }
    check_state_shape(s, key, params_[k].second->shape());
    acc_[k] = s.tensor(key).clone();
  }
}

// ---- SGD ----------------------------------------------------------------------------------------

SGD::SGD(NamedParams params, const SGDOptions& o) : Optimizer(std::move(params)), o_(o) {
  lr_ = o.lr;
  buf_.resize(params_.size());
}

void SGD::step() {
  NoGradGuard guard;
  ++steps_;
  for (size_t k = 0; k < params_.size(); ++k) {
    Node& p = *params_[k].second;
    if (p.grad_state == GradState::None) continue;
    const bool first = !buf_[k].defined();
    if (first && o_.momentum != 0.0f) buf_[k] = Tensor::zeros(p.shape());
    // Momentum and weight decay move untouched rows too, so they make the update dense.
    const bool dense = o_.momentum != 0.0f || o_.weight_decay != 0.0f;
    for_each_written(p, dense, [&](std::int64_t off, std::int64_t n) {
      kernels::sgd_update(p.value.data() + off, p.grad.data() + off, buf_[k].defined() ? buf_[k].data() + off : nullptr,
                          n, lr_, o_.momentum, o_.weight_decay, first);
    });
  }
}

StateDict SGD::state() const {
  StateDict s;
  s.set_int("step", steps_);
  for (size_t k = 0; k < params_.size(); ++k)
    if (buf_[k].defined()) s.tensors["momentum." + params_[k].first] = buf_[k];
  return s;
}

void SGD::load_state(const StateDict& s) {
  steps_ = s.get_int("step");
  for (size_t k = 0; k < params_.size(); ++k) {
    const std::string key = "momentum." + params_[k].first;
    if (!s.tensors.count(key)) {
      buf_[k] = Tensor();
      continue;
    }
    check_state_shape(s, key, params_[k].second->shape());
    buf_[k] = s.tensor(key).clone();
  }
}

// ---- clipping -----------------------------------------------------------------------------------

float clip_grad_norm(const NamedParams& params, float max_norm) {
  double total = 0.0;
  // Not a structured binding: clang before 16 cannot capture one in a lambda (the fuzz build).
  for (const auto& named : params) {
    const auto& p = named.second;
    for_each_written(*p, false, [&](std::int64_t off, std::int64_t len) {
      const float* g = p->grad.data() + off;
      total += double(kernels::dot(g, g, len));
    });
  }
  const float norm = float(std::sqrt(total));
  if (norm > max_norm && norm > 0.0f) {
    const float c = max_norm / norm;
    for (const auto& named : params) {
      const auto& p = named.second;
      for_each_written(*p, false, [&](std::int64_t off, std::int64_t len) { kernels::scale(p->grad.data() + off, c, len); });
    }
  }
  return norm;
}

float gradient_step(const Var& loss, Optimizer& opt, float clip_norm) {
  backward(loss);
  return apply_gradients(opt, clip_norm);
}

float apply_gradients(Optimizer& opt, float clip_norm) {
  const float norm = clip_norm > 0.0f ? clip_grad_norm(opt.params(), clip_norm) : 0.0f;
  opt.step();
  opt.zero_grad();
  return norm;
}

}  // namespace l2::nn
