// Counter-based random numbers: every draw is a pure function of (seed, stream, index), so one seed
// fixes every draw of a run whatever the thread count or the order in which threads ask
// (Note [Determinism] in parallel.h). The function is the splitmix64 output mix applied to a
// Weyl sequence keyed by (seed, stream): cheap (three multiply-xorshift rounds per 64 bits) and of
// good statistical quality for simulation (splitmix64 passes BigCrush).
//
// Generator is a stream with a cursor, for sequential code (shuffles, sampling); its whole state is
// (seed, stream, counter) and goes into checkpoints. Parallel code gives each independent piece of
// work its own stream (Generator::fork) or indexes draws directly with random_bits().
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace l2 {

inline std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

inline constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ull;

// Key of one stream of a seed.
inline std::uint64_t stream_key(std::uint64_t seed, std::uint64_t stream) {
  return mix64(mix64(seed + kGolden) ^ (stream * 0xD1342543DE82EF95ull + 0x2545F4914F6CDD1Dull));
}

// The index-th 64 random bits of a stream.
inline std::uint64_t random_bits_keyed(std::uint64_t key, std::uint64_t index) {
  return mix64(key + (index + 1) * kGolden);
}
inline std::uint64_t random_bits(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
  return random_bits_keyed(stream_key(seed, stream), index);
}

// Uniform in [0, 1) with 24 random bits (every float value of the form k * 2^-24).
inline float bits_to_uniform(std::uint64_t bits) { return float(bits >> 40) * (1.0f / 16777216.0f); }
// Uniform in [0, 1) with 53 random bits.
inline double bits_to_uniform_double(std::uint64_t bits) { return double(bits >> 11) * (1.0 / 9007199254740992.0); }
// Integer in [0, n) by Lemire's multiply-shift; bias below n / 2^64.
inline std::uint64_t bits_to_below(std::uint64_t bits, std::uint64_t n) {
  return static_cast<std::uint64_t>((static_cast<unsigned __int128>(bits) * n) >> 64);
}
// Standard normal by the Box-Muller transform of the two 32-bit halves.
float bits_to_normal(std::uint64_t bits);

class Generator {
 public:
  struct State {
    std::uint64_t seed = 0, stream = 0, counter = 0;
    bool operator==(const State&) const = default;
    template <class Archive>
    void serialize(Archive& ar) { ar(seed, stream, counter); }
  };

  explicit Generator(std::uint64_t seed = 0, std::uint64_t stream = 0);

  std::uint64_t next_u64() { return random_bits_keyed(key_, state_.counter++); }
  float uniform() { return bits_to_uniform(next_u64()); }                        // [0, 1)
  float uniform(float lo, float hi) { return lo + (hi - lo) * uniform(); }       // [lo, hi)
  float normal(float mean = 0.0f, float std = 1.0f) { return mean + std * bits_to_normal(next_u64()); }
  bool bernoulli(float p) { return uniform() < p; }
  std::int64_t integer(std::int64_t lo, std::int64_t hi);  // uniform in [lo, hi)
  // Index drawn with probability weights[i] / sum(weights); weights >= 0, sum > 0.
  std::int64_t categorical(const float* weights, std::int64_t n);
  // k distinct values of [0, n) in random order (k <= n).
  std::vector<std::int64_t> sample_without_replacement(std::int64_t n, std::int64_t k);
  // A uniform value of [lo, hi) for which excluded(v) is false, by rejection. Throws after
  // max_tries rejections (when nearly every value is excluded, the caller must handle it).
  std::int64_t integer_avoiding(std::int64_t lo, std::int64_t hi, const std::function<bool(std::int64_t)>& excluded,
                                std::int64_t max_tries = 1 << 20);
  template <class T>
  void shuffle(std::vector<T>& v) {  // Fisher-Yates
    for (std::int64_t i = std::int64_t(v.size()) - 1; i > 0; --i) std::swap(v[i], v[integer(0, i + 1)]);
  }

  // An independent stream derived from this generator's seed and stream (for per-item streams
  // in parallel code); does not advance this generator.
  Generator fork(std::uint64_t sub) const;

  const State& state() const { return state_; }
  void set_state(const State& s);
  std::uint64_t seed() const { return state_.seed; }

 private:
  State state_;
  std::uint64_t key_ = 0;
};

// Note [Dropout masks]
// Dropout draws one keep/drop decision per element, tens of millions per training step, so one
// 64-bit draw serves four elements: element i is kept when the (i mod 4)-th 16-bit field of draw
// i/4 of (seed, stream) is at least round(p * 65536). The rate is thus used at a resolution of
// 1/65536, and kept values are scaled by 65536 / (65536 - threshold), which keeps the expectation
// exact. Every dropout (the op, the fused attention, the fill kernel) decides through this one
// definition, so their masks agree element for element. keep() is the definition; the kernels of
// tensor/kernels/dropout.h evaluate it a chunk at a time in vector form (Note [Vectorised dropout
// masks] there), with the same decisions.
struct DropoutMask {
  std::uint64_t key = 0;
  std::uint32_t threshold = 0;  // keep when the 16-bit field >= threshold
  float scale = 1.0f;           // applied to kept elements
  bool keep(std::uint64_t i) const {
    return ((random_bits_keyed(key, i >> 2) >> ((i & 3) * 16)) & 0xFFFFu) >= threshold;
  }
};
DropoutMask dropout_mask(std::uint64_t seed, std::uint64_t stream, float p);

// Fill kernels: element i of x receives a draw at index `offset + i` of (seed, stream).
// Parallel, bit-identical for any thread count.
void fill_uniform(float* x, std::int64_t n, std::uint64_t seed, std::uint64_t stream, float lo, float hi);
void fill_normal(float* x, std::int64_t n, std::uint64_t seed, std::uint64_t stream, float mean, float std);
// Inverted-dropout mask (Note [Dropout masks]): x[i] = keep(i) * scale; with p = 0 every element is 1.
void fill_dropout_mask(float* x, std::int64_t n, std::uint64_t seed, std::uint64_t stream, float p);

}  // namespace l2
