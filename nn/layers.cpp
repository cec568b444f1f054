#include "nn/layers.h"

#include <cstring>

namespace l2::nn {

Embedding::Embedding(std::int64_t num, std::int64_t dim, std::int32_t padding_idx) : padding_idx_(padding_idx) {
  L2_CHECK(num > 0 && dim > 0, "Embedding: need positive sizes, got " << num << " x " << dim);
  L2_CHECK(padding_idx < num, "Embedding: padding index " << padding_idx << " outside [0, " << num << ")");
  weight_ = register_parameter("weight", Tensor::zeros(Shape{num, dim}));
}

Var Embedding::forward(const IndexTensor& ids) const { return gather_rows(weight_, ids, padding_idx_); }

void Embedding::init_parameters(const Init& init, const std::string& prefix) {
  init_weight(weight_->value, init, prefix + "weight");
  if (padding_idx_ >= 0) {
    const std::int64_t C = weight_->value.dim(1);
    std::memset(weight_->value.data() + padding_idx_ * C, 0, sizeof(float) * C);
  }
}

Linear::Linear(std::int64_t in, std::int64_t out, bool bias) {
  L2_CHECK(in > 0 && out > 0, "Linear: need positive sizes, got " << in << " -> " << out);
  weight_ = register_parameter("weight", Tensor::zeros(Shape{in, out}));
  if (bias) bias_ = register_parameter("bias", Tensor::zeros(Shape{out}));
}

Var Linear::forward(const Var& x) const { return linear(x, weight_, bias_); }

void Linear::init_parameters(const Init& init, const std::string& prefix) {
  init_weight(weight_->value, init, prefix + "weight");
  if (bias_) bias_->value.zero_();
}

LayerNorm::LayerNorm(std::int64_t dim, float eps) : eps_(eps) {
  weight_ = register_parameter("weight", Tensor::full(Shape{dim}, 1.0f));
  bias_ = register_parameter("bias", Tensor::zeros(Shape{dim}));
}

Var LayerNorm::forward(const Var& x) const { return layer_norm(x, weight_, bias_, eps_); }

void LayerNorm::init_parameters(const Init&, const std::string&) {
  weight_->value.fill_(1.0f);
  bias_->value.zero_();
}

Dropout::Dropout(float p, std::shared_ptr<Generator> rng) : p_(p), rng_(std::move(rng)) {
  L2_CHECK(p >= 0.0f && p < 1.0f, "Dropout: rate " << p << " outside [0, 1)");
  L2_CHECK(p == 0.0f || rng_, "Dropout: a non-zero rate needs a random generator");
}

Var Dropout::forward(const Var& x) const {
  if (!training() || p_ == 0.0f) return x;
  return dropout(x, p_, rng_->seed(), rng_->next_u64());
}

}  // namespace l2::nn
