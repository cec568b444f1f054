// The basic layers: Embedding, Linear, LayerNorm, Dropout. Each is a Module with a typed forward.
#pragma once

#include <memory>

#include "autograd/ops.h"
#include "nn/module.h"
#include "tensor/random.h"

namespace l2::nn {

// Item (or position) table [V, C]. Row `padding_idx` (if >= 0) is zero, is looked up as zeros,
// and never receives a gradient, so it stays zero through any optimiser step.
class Embedding : public Module {
 public:
  Embedding(std::int64_t num, std::int64_t dim, std::int32_t padding_idx = -1);
  Var forward(const IndexTensor& ids) const;  // [...] -> [..., dim]
  void init_parameters(const Init& init, const std::string& prefix = "") override;
  const Var& weight() const { return weight_; }
  std::int32_t padding_idx() const { return padding_idx_; }

 private:
  Var weight_;
  std::int32_t padding_idx_;
};

// y = x W + b, W: [in, out] (TensorFlow's Dense layout: no transpose in the forward GEMM).
class Linear : public Module {
 public:
  Linear(std::int64_t in, std::int64_t out, bool bias = true);
  Var forward(const Var& x) const;  // [..., in] -> [..., out]
  void init_parameters(const Init& init, const std::string& prefix = "") override;
  const Var& weight() const { return weight_; }
  const Var& bias() const { return bias_; }

 private:
  Var weight_, bias_;
};

class LayerNorm : public Module {
 public:
  explicit LayerNorm(std::int64_t dim, float eps = 1e-8f);  // 1e-8: the TF SASRec and NextItNet value
  Var forward(const Var& x) const;
  void init_parameters(const Init& init, const std::string& prefix = "") override;
  const Var& weight() const { return weight_; }
  const Var& bias() const { return bias_; }
  float eps() const { return eps_; }

 private:
  Var weight_, bias_;
  float eps_;
};

// Inverted dropout, active only in training mode. Each call draws a fresh stream id from the
// shared generator, so a model's whole dropout sequence is fixed by that generator's state
// (which checkpoints save), and the mask of a call does not depend on the thread count.
class Dropout : public Module {
 public:
  Dropout(float p, std::shared_ptr<Generator> rng);
  Var forward(const Var& x) const;
  float p() const { return p_; }
  // The rate in effect (0 in eval mode) and a fresh stream for a caller that applies the mask
  // itself (a fused op); draws from the generator only when the rate is non-zero.
  float active_rate() const { return training() ? p_ : 0.0f; }
  std::uint64_t next_stream() const { return active_rate() > 0.0f ? rng_->next_u64() : 0; }
  std::uint64_t seed() const { return rng_ ? rng_->seed() : 0; }

 private:
  float p_;
  std::shared_ptr<Generator> rng_;
};

}  // namespace l2::nn
