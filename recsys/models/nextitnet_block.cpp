#include "recsys/models/nextitnet_block.h"

namespace l2::recsys {

NextItNetBlock::NextItNetBlock(std::int64_t C, std::int64_t K, std::int64_t dilation)
    : dilation_(dilation), ln1_(C), ln2_(C) {
  L2_CHECK(C > 0 && K > 0 && dilation > 0, "NextItNetBlock: need positive channels, kernel and dilation");
  w1_ = register_parameter("conv1.weight", Tensor::zeros(Shape{K, C, C}));
  b1_ = register_parameter("conv1.bias", Tensor::zeros(Shape{C}));
  w2_ = register_parameter("conv2.weight", Tensor::zeros(Shape{K, C, C}));
  b2_ = register_parameter("conv2.bias", Tensor::zeros(Shape{C}));
  register_module("ln1", ln1_);
  register_module("ln2", ln2_);
}

void NextItNetBlock::init_parameters(const nn::Init& init, const std::string& prefix) {
  init_weight(w1_->value, init, prefix + "conv1.weight");
  init_weight(w2_->value, init, prefix + "conv2.weight");
  b1_->value.zero_();
  b2_->value.zero_();
  nn::Module::init_parameters(init, prefix);
}

Var NextItNetBlock::forward(const Var& x, const Tensor& mask) const {
  Var h = layer_norm_relu(causal_conv1d(x, w1_, b1_, dilation_), ln1_.weight(), ln1_.bias(), ln1_.eps(), mask);
  return layer_norm_relu(causal_conv1d(h, w2_, b2_, 2 * dilation_), ln2_.weight(), ln2_.bias(), ln2_.eps(), mask, x);
}

Var NextItNetBlock::forward_composed(const Var& x, const Tensor& mask) const {
  Var m = mask.defined() ? constant(mask) : nullptr;
  Var h = relu(ln1_.forward(causal_conv1d(x, w1_, b1_, dilation_)));
  if (m) h = mul(h, m);
  h = relu(ln2_.forward(causal_conv1d(h, w2_, b2_, 2 * dilation_)));
  if (m) h = mul(h, m);
  return add(x, h);
}

}  // namespace l2::recsys
