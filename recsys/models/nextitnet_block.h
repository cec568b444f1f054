// The residual block of NextItNet (Yuan et al., WSDM 2019; the authors' ops.py
// nextitnet_residual_block, docs/model-specs.md#nextitnet):
//   h = ReLU(LN(conv_d(x)));  h = ReLU(LN(conv_2d(h)));  y = x + h
// with dilated causal convolutions of kernel K. One addition: padding steps are zeroed after each
// ReLU (when a mask is given), so a real step never sees activations computed at padding steps
// and the output does not depend on how much padding a batch carries. Padding steps of the output
// are then exactly the input's (zero for NextItNet, whose padding embedding is the zero row).
#pragma once

#include "nn/layers.h"

namespace l2::recsys {

class NextItNetBlock : public nn::Module {
 public:
  NextItNetBlock(std::int64_t channels, std::int64_t kernel, std::int64_t dilation);
  // x: [B, T, C]; mask: [B, T] with 1 at real steps, or undefined. Each half runs the fused
  // layer_norm_relu op (layer norm, ReLU, mask and, in the second half, the residual).
  Var forward(const Var& x, const Tensor& mask = Tensor()) const;
  // The same computation composed from primitive ops (layer_norm, relu, mul, add): the reference
  // the fused forward is tested against.
  Var forward_composed(const Var& x, const Tensor& mask = Tensor()) const;
  void init_parameters(const nn::Init& init, const std::string& prefix = "") override;

 private:
  std::int64_t dilation_;
  Var w1_, b1_, w2_, b2_;  // [K, C, C], [C]
  nn::LayerNorm ln1_, ln2_;
};

}  // namespace l2::recsys
