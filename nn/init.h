// Weight initialisers used by the reference implementations (docs/model-specs.md): TensorFlow's
// glorot_uniform (SASRec), PyTorch's xavier_normal_ (pmixer SASRec), normal(0, 0.02) (RecBole),
// truncated normal (NextItNet). Every draw comes from the counter-based RNG keyed by (seed,
// stream); models use a hash of the parameter's name as its stream, so adding a parameter never
// changes the values another one gets.
#pragma once

#include <cstdint>
#include <string>

#include "tensor/tensor.h"

namespace l2::nn::init {

// fan_in, fan_out of a weight as TensorFlow and PyTorch compute them for our layouts:
// [in, out] (Linear, embedding tables as [V, C]) and [K, in, out] (conv: receptive field K).
std::pair<double, double> fans(const Shape& s);

void xavier_uniform(Tensor& w, std::uint64_t seed, std::uint64_t stream, double gain = 1.0);  // U(±gain*sqrt(6/(fan_in+fan_out)))
void xavier_normal(Tensor& w, std::uint64_t seed, std::uint64_t stream, double gain = 1.0);   // N(0, gain^2 * 2/(fan_in+fan_out))
void normal(Tensor& w, std::uint64_t seed, std::uint64_t stream, float mean, float std);
// N(mean, std^2) with draws beyond 2 std redrawn (TensorFlow's truncated_normal).
void truncated_normal(Tensor& w, std::uint64_t seed, std::uint64_t stream, float mean, float std);
void uniform(Tensor& w, std::uint64_t seed, std::uint64_t stream, float lo, float hi);

// A stable 64-bit hash of a parameter name, for use as its stream.
std::uint64_t name_stream(const std::string& name);

}  // namespace l2::nn::init
