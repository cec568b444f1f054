// A gated recurrent unit layer over [B, T, C] (Cho et al. 2014), in the gate arithmetic of
// PyTorch's nn.GRU (and cuDNN), gates in the order r, z, n:
//   r = σ(x W_ir + b_ir + h W_hr + b_hr)     z = σ(x W_iz + b_iz + h W_hz + b_hz)
//   n = tanh(x W_in + b_in + r * (h W_hn + b_hn))     h' = (1 - z) * n + z * h
// The input projections of all steps are one GEMM inside the fused gru op (autograd/ops.h), which
// runs the recurrence and is tested against its composition from primitive ops, gru_composed
// (docs/style.md#compose-first). Padding steps (mask 0) carry the state through unchanged, so with left padding the
// state is h0 = 0 until the first real item.
#pragma once

#include "nn/layers.h"

namespace l2::nn {

class GRU : public Module {
 public:
  // How init_parameters draws the GRU's parameters:
  //  per_gate: the weight scheme over each gate's [in, H] block (the fans of one gate), zero biases;
  //  whole:    the weight scheme over each whole [in, 3H] matrix (PyTorch's xavier_uniform_ on
  //            nn.GRU's [3H, in] weight: the same fans), biases U(±1/sqrt(H)) as nn.GRU's default.
  enum class InitMode { per_gate, whole };
  GRU(std::int64_t input, std::int64_t hidden, InitMode init_mode = InitMode::per_gate);
  // x: [B, T, input]; mask: [B, T] with 1 at real steps (or undefined: all real). Returns [B, T, hidden].
  Var forward(const Var& x, const Tensor& mask = Tensor()) const;
  void init_parameters(const Init& init, const std::string& prefix = "") override;
  std::int64_t hidden() const { return H_; }

 private:
  std::int64_t I_, H_;
  InitMode init_mode_;
  Var w_ih_, w_hh_, b_ih_, b_hh_;  // [I, 3H], [H, 3H], [3H], [3H]
};

}  // namespace l2::nn
