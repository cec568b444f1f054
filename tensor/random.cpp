#include "tensor/random.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "tensor/check.h"
#include "tensor/kernels/dropout.h"
#include "tensor/parallel.h"

namespace l2 {

float bits_to_normal(std::uint64_t bits) {
  // u1 in (0, 1] so that log(u1) is finite; u2 in [0, 1).
  const double u1 = (double(bits >> 32) + 1.0) * (1.0 / 4294967296.0);
  const double u2 = double(bits & 0xFFFFFFFFull) * (1.0 / 4294967296.0);
  return float(std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2));
}

Generator::Generator(std::uint64_t seed, std::uint64_t stream) {
  set_state(State{seed, stream, 0});
}

void Generator::set_state(const State& s) {
  state_ = s;
  key_ = stream_key(s.seed, s.stream);
}

std::int64_t Generator::integer(std::int64_t lo, std::int64_t hi) {
  L2_CHECK(lo < hi, "Generator::integer: empty range [" << lo << ", " << hi << ")");
  return lo + std::int64_t(bits_to_below(next_u64(), std::uint64_t(hi - lo)));
}

std::int64_t Generator::categorical(const float* weights, std::int64_t n) {
  L2_CHECK(n > 0, "Generator::categorical: no categories");
  double total = 0.0;
  for (std::int64_t i = 0; i < n; ++i) {
    L2_CHECK(weights[i] >= 0.0f && std::isfinite(weights[i]),
             "Generator::categorical: weight " << i << " is " << weights[i]);
    total += weights[i];
  }
  L2_CHECK(total > 0.0, "Generator::categorical: weights sum to zero");
  const double u = bits_to_uniform_double(next_u64()) * total;
  double c = 0.0;
  for (std::int64_t i = 0; i < n; ++i) {
    c += weights[i];
    if (u < c) return i;
  }
  for (std::int64_t i = n - 1; i >= 0; --i)  // rounding left u at the very top
    if (weights[i] > 0.0f) return i;
  return n - 1;
}

std::vector<std::int64_t> Generator::sample_without_replacement(std::int64_t n, std::int64_t k) {
  L2_CHECK(0 <= k && k <= n, "sample_without_replacement: cannot draw " << k << " of " << n);
  std::vector<std::int64_t> out;
  out.reserve(size_t(k));
  if (k * 4 >= n) {  // dense: partial Fisher-Yates over [0, n)
    std::vector<std::int64_t> all(static_cast<size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) all[size_t(i)] = i;
    for (std::int64_t i = 0; i < k; ++i) {
      std::swap(all[size_t(i)], all[size_t(integer(i, n))]);
      out.push_back(all[size_t(i)]);
    }
    return out;
  }
  // sparse: Floyd's algorithm, then a shuffle so that the order is random too
  std::unordered_set<std::int64_t> seen;
  for (std::int64_t j = n - k; j < n; ++j) {
    std::int64_t t = integer(0, j + 1);
    if (!seen.insert(t).second) {
      seen.insert(j);
      t = j;
    }
    out.push_back(t);
  }
  shuffle(out);
  return out;
}

std::int64_t Generator::integer_avoiding(std::int64_t lo, std::int64_t hi,
                                         const std::function<bool(std::int64_t)>& excluded, std::int64_t max_tries) {
  for (std::int64_t t = 0; t < max_tries; ++t) {
    const std::int64_t v = integer(lo, hi);
    if (!excluded(v)) return v;
  }
  L2_FAIL("integer_avoiding: no allowed value of [" << lo << ", " << hi << ") found in " << max_tries
                                                    << " draws (are all values excluded?)");
}

Generator Generator::fork(std::uint64_t sub) const {
  return Generator(state_.seed, mix64(state_.stream * kGolden + sub + 1));
}

void fill_uniform(float* x, std::int64_t n, std::uint64_t seed, std::uint64_t stream, float lo, float hi) {
  const std::uint64_t key = stream_key(seed, stream);
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i) x[i] = lo + (hi - lo) * bits_to_uniform(random_bits_keyed(key, i));
  });
}

void fill_normal(float* x, std::int64_t n, std::uint64_t seed, std::uint64_t stream, float mean, float std) {
  const std::uint64_t key = stream_key(seed, stream);
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i) x[i] = mean + std * bits_to_normal(random_bits_keyed(key, i));
  });
}

DropoutMask dropout_mask(std::uint64_t seed, std::uint64_t stream, float p) {
  L2_CHECK(p >= 0.0f && p < 1.0f, "dropout: rate " << p << " outside [0, 1)");
  DropoutMask m;
  m.key = stream_key(seed, stream);
  m.threshold = std::uint32_t(std::lround(double(p) * 65536.0));
  if (m.threshold > 65535) m.threshold = 65535;
  m.scale = float(65536.0 / (65536.0 - m.threshold));
  return m;
}

void fill_dropout_mask(float* x, std::int64_t n, std::uint64_t seed, std::uint64_t stream, float p) {
  const DropoutMask m = dropout_mask(seed, stream, p);
  parallel_for(n, kElementBlock, [&](std::int64_t b, std::int64_t e) {
    std::fill(x + b, x + e, 1.0f);
    kernels::dropout_apply(x + b, e - b, std::uint64_t(b), m);
  });
}

}  // namespace l2
