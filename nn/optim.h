// Optimisers over a module's named parameters: Adam (the paper's optimiser for every model and for
// the augmentor), Adagrad (the original optimiser of the adversarial-reweighting baseline) and
// SGD. Updates run under NoGradGuard; their arithmetic is PyTorch's (tensor/kernels/optim.h), so
// tests compare against it value for value.
//
// Note [Lazy Adam]
// For a parameter whose gradient is row-sparse (an embedding table; Note [Row-sparse gradients]),
// Adam by default updates only the rows the step's gradient touched, TensorFlow's LazyAdam:
// untouched rows keep their weights AND their moments (dense Adam would decay m and v there and
// keep moving the weights along the old momentum). On a row touched at every step the two are
// identical, which tests/nn checks; elsewhere lazy Adam is what makes a step over a 20,000-row
// table cost the few thousand rows a batch uses. `lazy_rows = false` gives dense Adam.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "autograd/var.h"
#include "nn/state_dict.h"

namespace l2::nn {

using NamedParams = std::vector<std::pair<std::string, Var>>;

class Optimizer {
 public:
  explicit Optimizer(NamedParams params) : params_(std::move(params)) {}
  virtual ~Optimizer() = default;
  virtual void step() = 0;
  void zero_grad();
  float lr() const { return lr_; }
  std::int64_t steps() const { return steps_; }

  // State by parameter name (moments, step count), for checkpoints and for copying an optimiser
  // (L2Aug fine-tunes a copy of the recommender with a copy of its optimiser state).
  virtual StateDict state() const = 0;
  virtual void load_state(const StateDict& state) = 0;
  const NamedParams& params() const { return params_; }

 protected:
  NamedParams params_;
  float lr_ = 1e-3f;
  std::int64_t steps_ = 0;
};

struct AdamOptions {
  float lr = 1e-3f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f;
  float weight_decay = 0.0f;
  bool decoupled_weight_decay = false;  // AdamW
  bool lazy_rows = true;                // Note [Lazy Adam]
};

class Adam : public Optimizer {
 public:
  Adam(NamedParams params, const AdamOptions& options);
  void step() override;
  StateDict state() const override;
  void load_state(const StateDict& state) override;
  const AdamOptions& options() const { return o_; }
  // Copies the moments and the step count of another Adam over parameters of the same shapes (L2Aug
  // fine-tunes a copy of the recommender with a copy of its optimiser state). Reuses this
  // optimiser's buffers once they exist: no allocation per copy.
  void copy_state_from(const Adam& other);

 private:
  AdamOptions o_;
  std::vector<Tensor> m_, v_;  // per parameter, allocated at the first step
};

struct AdagradOptions {
  float lr = 1e-3f;
  float eps = 1e-10f;                 // PyTorch's default
  float initial_accumulator = 0.1f;   // TensorFlow's default (the ARL original is TF)
  float weight_decay = 0.0f;
};

class Adagrad : public Optimizer {
 public:
  Adagrad(NamedParams params, const AdagradOptions& options);
  void step() override;
  StateDict state() const override;
  void load_state(const StateDict& state) override;

 private:
  AdagradOptions o_;
  std::vector<Tensor> acc_;
};

struct SGDOptions {
  float lr = 1e-2f, momentum = 0.0f, weight_decay = 0.0f;
};

class SGD : public Optimizer {
 public:
  SGD(NamedParams params, const SGDOptions& options);
  void step() override;
  StateDict state() const override;
  void load_state(const StateDict& state) override;

 private:
  SGDOptions o_;
  std::vector<Tensor> buf_;
};

// Scales all gradients so that their global L2 norm is at most max_norm; returns the norm before.
float clip_grad_norm(const NamedParams& params, float max_norm);

// Note [Gradient step]
// One optimisation step, the same wherever the code takes one (the trainer, the treatments,
// Algorithm 1's fine-tune and replay, the online agents): backward(loss); when clip_norm > 0, the
// gradients of the optimiser's parameters scaled to a global L2 norm of at most clip_norm
// (clip_grad_norm); opt.step(); then those gradients zeroed. With clip_norm = 0 it is exactly
// backward, step and zero_grad. Only the optimiser's own parameters are clipped and zeroed: a
// caller whose loss also reaches other parameters (LIRD's actor loss runs through the critic)
// zeroes those itself. Returns the gradient norm before clipping (0 when clip_norm = 0, where
// it is not computed).
float gradient_step(const Var& loss, Optimizer& opt, float clip_norm = 0.0f);
// The same step after the caller has run backward itself, e.g. once per part of a batch whose
// gradients add up (Note [Length buckets within a step] in recsys/train/step.h): clipping, step, zeroing.
float apply_gradients(Optimizer& opt, float clip_norm = 0.0f);

}  // namespace l2::nn
