#include "nn/gru.h"

#include <cmath>

#include "nn/init.h"

namespace l2::nn {

GRU::GRU(std::int64_t input, std::int64_t hidden, InitMode init_mode) : I_(input), H_(hidden), init_mode_(init_mode) {
  L2_CHECK(input > 0 && hidden > 0, "GRU: need positive sizes, got " << input << " -> " << hidden);
  w_ih_ = register_parameter("weight_ih", Tensor::zeros(Shape{input, 3 * hidden}));
  w_hh_ = register_parameter("weight_hh", Tensor::zeros(Shape{hidden, 3 * hidden}));
  b_ih_ = register_parameter("bias_ih", Tensor::zeros(Shape{3 * hidden}));
  b_hh_ = register_parameter("bias_hh", Tensor::zeros(Shape{3 * hidden}));
}

void GRU::init_parameters(const Init& init, const std::string& prefix) {
  if (init_mode_ == InitMode::whole) {  // PyTorch's nn.GRU with xavier_uniform_ on its weights
    init_weight(w_ih_->value, init, prefix + "weight_ih");  // fans (I, 3H), as torch's [3H, I]
    init_weight(w_hh_->value, init, prefix + "weight_hh");  // fans (H, 3H)
    const float bound = float(1.0 / std::sqrt(double(H_)));
    init::uniform(b_ih_->value, init.seed, init::name_stream(prefix + "bias_ih"), -bound, bound);
    init::uniform(b_hh_->value, init.seed, init::name_stream(prefix + "bias_hh"), -bound, bound);
    return;
  }
  // Each gate's block is initialised as its own [in, H] matrix (the fans of one gate).
  for (auto [w, name, rows] : {std::tuple{&w_ih_, "weight_ih", I_}, std::tuple{&w_hh_, "weight_hh", H_}}) {
    Tensor gate = Tensor::empty(Shape{rows, H_});
    for (std::int64_t g = 0; g < 3; ++g) {
      init_weight(gate, init, prefix + name + "." + std::to_string(g));
      for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c < H_; ++c) (*w)->value[r * 3 * H_ + g * H_ + c] = gate[r * H_ + c];
    }
  }
  b_ih_->value.zero_();
  b_hh_->value.zero_();
}

Var GRU::forward(const Var& x, const Tensor& mask) const {
  const Shape& s = x->shape();
  L2_CHECK(s.ndim() == 3 && s[2] == I_, "GRU: input must be [B, T, " << I_ << "], got " << s);
  return gru(x, w_ih_, b_ih_, w_hh_, b_hh_, mask);
}

}  // namespace l2::nn
