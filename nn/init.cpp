#include "nn/init.h"

#include <cmath>

#include "tensor/parallel.h"
#include "tensor/random.h"

namespace l2::nn::init {

std::pair<double, double> fans(const Shape& s) {
  if (s.ndim() < 2) return {double(s.numel()), double(s.numel())};
  double receptive = 1.0;
  for (int i = 0; i < s.ndim() - 2; ++i) receptive *= double(s[i]);
  return {double(s[-2]) * receptive, double(s[-1]) * receptive};
}

void xavier_uniform(Tensor& w, std::uint64_t seed, std::uint64_t stream, double gain) {
  const auto [fi, fo] = fans(w.shape());
  const float a = float(gain * std::sqrt(6.0 / (fi + fo)));
  fill_uniform(w.data(), w.numel(), seed, stream, -a, a);
}

void xavier_normal(Tensor& w, std::uint64_t seed, std::uint64_t stream, double gain) {
  const auto [fi, fo] = fans(w.shape());
  fill_normal(w.data(), w.numel(), seed, stream, 0.0f, float(gain * std::sqrt(2.0 / (fi + fo))));
}

void normal(Tensor& w, std::uint64_t seed, std::uint64_t stream, float mean, float std) {
  fill_normal(w.data(), w.numel(), seed, stream, mean, std);
}

void truncated_normal(Tensor& w, std::uint64_t seed, std::uint64_t stream, float mean, float std) {
  // Element i redraws from its own sub-stream, so the result does not depend on thread count.
  const std::uint64_t key = stream_key(seed, stream);
  float* x = w.data();
  parallel_for(w.numel(), kElementBlock, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i) {
      float z;
      std::uint64_t k = 0;
      do {
        z = bits_to_normal(random_bits_keyed(key, std::uint64_t(i) * 64 + k++));
      } while (std::fabs(z) > 2.0f && k < 64);
      x[i] = mean + std * (std::fabs(z) > 2.0f ? 0.0f : z);
    }
  });
}

void uniform(Tensor& w, std::uint64_t seed, std::uint64_t stream, float lo, float hi) {
  fill_uniform(w.data(), w.numel(), seed, stream, lo, hi);
}

std::uint64_t name_stream(const std::string& name) {
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
  for (unsigned char c : name) h = (h ^ c) * 0x100000001b3ull;
  return mix64(h);
}

}  // namespace l2::nn::init
