#include "nn/gru.h"

namespace l2::nn {

GRU::GRU(std::int64_t input, std::int64_t hidden) : I_(input), H_(hidden) {
  L2_CHECK(input > 0 && hidden > 0, "GRU: need positive sizes, got " << input << " -> " << hidden);
  w_ih_ = register_parameter("weight_ih", Tensor::zeros(Shape{input, 3 * hidden}));
  w_hh_ = register_parameter("weight_hh", Tensor::zeros(Shape{hidden, 3 * hidden}));
  b_ih_ = register_parameter("bias_ih", Tensor::zeros(Shape{3 * hidden}));
  b_hh_ = register_parameter("bias_hh", Tensor::zeros(Shape{3 * hidden}));
}

void GRU::init_parameters(const Init& init, const std::string& prefix) {
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

Var GRU::forward_composed(const Var& x, const Tensor& mask) const {
  const Shape& s = x->shape();
  L2_CHECK(s.ndim() == 3 && s[2] == I_, "GRU: input must be [B, T, " << I_ << "], got " << s);
  const std::int64_t B = s[0], T = s[1], H = H_;
  L2_CHECK(!mask.defined() || mask.shape() == (Shape{B, T}), "GRU: mask must be [" << B << ", " << T << "], got " << mask.shape());
  Var gi_all = add(matmul(x, w_ih_), b_ih_);  // all input projections in one GEMM: [B, T, 3H]
  Var h = constant(Tensor::zeros(Shape{B, H}));
  std::vector<Var> outputs;
  outputs.reserve(size_t(T));
  for (std::int64_t t = 0; t < T; ++t) {
    Var gi = reshape(slice(gi_all, 1, t, t + 1), Shape{B, 3 * H});
    Var gh = add(matmul(h, w_hh_), b_hh_);
    Var rz = sigmoid(add(slice(gi, 1, 0, 2 * H), slice(gh, 1, 0, 2 * H)));
    Var r = slice(rz, 1, 0, H), z = slice(rz, 1, H, 2 * H);
    Var n = tanh(add(slice(gi, 1, 2 * H, 3 * H), mul(r, slice(gh, 1, 2 * H, 3 * H))));
    Var next = add(n, mul(z, sub(h, n)));  // (1 - z) n + z h
    if (mask.defined()) {
      Tensor m = Tensor::empty(Shape{B, 1});
      for (std::int64_t b = 0; b < B; ++b) m[b] = mask[b * T + t];
      next = add(h, mul(sub(next, h), constant(m)));  // padding steps keep h
    }
    h = next;
    outputs.push_back(reshape(h, Shape{B, 1, H}));
  }
  return concat(outputs, 1);
}

}  // namespace l2::nn
