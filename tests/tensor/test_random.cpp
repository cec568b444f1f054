#include <boost/test/unit_test.hpp>
#include <algorithm>
#include <cmath>
#include <set>

#include "../common/test_util.h"
#include "tensor/kernels/dropout.h"
#include "tensor/random.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(rng)

BOOST_AUTO_TEST_CASE(same_seed_same_draws_and_streams_differ) {
  Generator a(42), b(42), c(43), d(42, 1);
  bool differs_seed = false, differs_stream = false;
  for (int i = 0; i < 100; ++i) {
    const auto x = a.next_u64();
    BOOST_TEST(x == b.next_u64());
    differs_seed |= x != c.next_u64();
    differs_stream |= x != d.next_u64();
  }
  BOOST_TEST(differs_seed);
  BOOST_TEST(differs_stream);
}

BOOST_AUTO_TEST_CASE(state_round_trip_resumes_the_sequence) {
  Generator a(7);
  for (int i = 0; i < 10; ++i) a.uniform();
  Generator b;
  b.set_state(a.state());
  for (int i = 0; i < 10; ++i) BOOST_TEST(a.next_u64() == b.next_u64());
}

BOOST_AUTO_TEST_CASE(uniform_and_normal_moments) {
  Generator g(1);
  const int n = 200000;
  double s = 0, s2 = 0, ns = 0, ns2 = 0;
  float lo = 1, hi = 0;
  for (int i = 0; i < n; ++i) {
    const float u = g.uniform();
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    s += u;
    s2 += u * u;
    const float z = g.normal();
    ns += z;
    ns2 += z * z;
  }
  BOOST_TEST(lo >= 0.0f);
  BOOST_TEST(hi < 1.0f);
  BOOST_TEST(std::fabs(s / n - 0.5) < 0.005);
  BOOST_TEST(std::fabs(s2 / n - (s / n) * (s / n) - 1.0 / 12) < 0.002);
  BOOST_TEST(std::fabs(ns / n) < 0.01);
  BOOST_TEST(std::fabs(ns2 / n - 1.0) < 0.015);
}

BOOST_AUTO_TEST_CASE(bernoulli_integer_categorical) {
  Generator g(2);
  const int n = 100000;
  int ones = 0;
  std::vector<int> counts(7, 0), cat(3, 0);
  const float w[3] = {1.0f, 0.0f, 3.0f};
  for (int i = 0; i < n; ++i) {
    ones += g.bernoulli(0.3f);
    const auto k = g.integer(3, 10);
    BOOST_REQUIRE(k >= 3 && k < 10);
    ++counts[size_t(k - 3)];
    ++cat[size_t(g.categorical(w, 3))];
  }
  BOOST_TEST(std::fabs(ones / double(n) - 0.3) < 0.01);
  for (int c : counts) BOOST_TEST(std::fabs(c / double(n) - 1.0 / 7) < 0.01);
  BOOST_TEST(cat[1] == 0);
  BOOST_TEST(std::fabs(cat[2] / double(n) - 0.75) < 0.01);
  BOOST_CHECK_THROW(g.integer(5, 5), Error);
  const float zero[2] = {0.0f, 0.0f};
  BOOST_CHECK_THROW(g.categorical(zero, 2), Error);
}

BOOST_AUTO_TEST_CASE(sampling_without_replacement_and_rejection) {
  Generator g(3);
  for (auto [n, k] : std::vector<std::pair<int, int>>{{10, 10}, {1000, 5}, {50, 20}}) {
    auto s = g.sample_without_replacement(n, k);
    std::set<std::int64_t> u(s.begin(), s.end());
    BOOST_TEST(int(u.size()) == k);
    BOOST_TEST(*u.begin() >= 0);
    BOOST_TEST(*u.rbegin() < n);
  }
  // Each value of [0, 10) equally likely to be in a 3-sample.
  std::vector<int> hits(10, 0);
  for (int t = 0; t < 20000; ++t)
    for (auto v : g.sample_without_replacement(10, 3)) ++hits[size_t(v)];
  for (int h : hits) BOOST_TEST(std::fabs(h / 20000.0 - 0.3) < 0.02);

  std::set<std::int64_t> banned = {1, 2, 3, 5, 8};
  for (int t = 0; t < 1000; ++t) {
    auto v = g.integer_avoiding(0, 10, [&](std::int64_t x) { return banned.count(x) > 0; });
    BOOST_TEST(!banned.count(v));
  }
  BOOST_CHECK_THROW(g.integer_avoiding(0, 3, [](std::int64_t) { return true; }, 100), Error);

  std::vector<int> p(50);
  for (int i = 0; i < 50; ++i) p[size_t(i)] = i;
  g.shuffle(p);
  auto sorted = p;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < 50; ++i) BOOST_TEST(sorted[size_t(i)] == i);
}

BOOST_AUTO_TEST_CASE(fill_kernels_are_thread_count_independent) {
  const std::int64_t n = 300001;
  auto [a, b] = with_1_and_2_threads([&] {
    std::vector<float> x(static_cast<size_t>(n)), y(static_cast<size_t>(n)), m(static_cast<size_t>(n));
    fill_normal(x.data(), n, 5, 9, 0.0f, 1.0f);
    fill_uniform(y.data(), n, 5, 10, -2.0f, 2.0f);
    fill_dropout_mask(m.data(), n, 5, 11, 0.25f);
    x.insert(x.end(), y.begin(), y.end());
    x.insert(x.end(), m.begin(), m.end());
    return x;
  });
  BOOST_TEST(bit_equal(a, b));
  // Dropout mask: values are 0 or 1/(1-p), kept with probability 1-p.
  double kept = 0;
  for (std::int64_t i = 2 * n; i < 3 * n; ++i) {
    BOOST_REQUIRE((a[size_t(i)] == 0.0f || std::fabs(a[size_t(i)] - 1.0f / 0.75f) < 1e-6f));
    kept += a[size_t(i)] != 0.0f;
  }
  BOOST_TEST(std::fabs(kept / n - 0.75) < 0.005);
}

// The vectorised mask (Note [Vectorised dropout masks]) decides exactly as DropoutMask::keep, at
// any length and any starting element (draws shared by four elements, chunk and SIMD tails).
BOOST_AUTO_TEST_CASE(vectorised_dropout_kernels_equal_their_references) {
  for (float p : {0.1f, 0.5f, 0.9f})
    for (std::int64_t n : {1, 3, 7, 17, 63, 1000, 1025, 4097, 70001}) {
      const auto x = random_vector(n, 3), dy = random_vector(n, 4), d0 = random_vector(n, 5);
      std::vector<float> y(static_cast<size_t>(n)), y_ref(static_cast<size_t>(n)), dx = d0, dx_ref = d0;
      kernels::dropout_forward(y.data(), x.data(), n, p, 9, 2);
      kernels::dropout_forward_ref(y_ref.data(), x.data(), n, p, 9, 2);
      BOOST_TEST(bit_equal(y, y_ref), "forward p=" << p << " n=" << n);
      kernels::dropout_backward(dx.data(), dy.data(), n, p, 9, 2);
      kernels::dropout_backward_ref(dx_ref.data(), dy.data(), n, p, 9, 2);
      BOOST_TEST(bit_equal(dx, dx_ref), "backward p=" << p << " n=" << n);
      const DropoutMask m = dropout_mask(9, 2, p);
      for (std::uint64_t begin : {0ull, 1ull, 2ull, 3ull, 4ull, 1369ull, 123457ull}) {
        std::vector<float> a = x, b = x;
        kernels::dropout_apply(a.data(), n, begin, m);
        kernels::dropout_apply_ref(b.data(), n, begin, m);
        BOOST_TEST(bit_equal(a, b), "apply p=" << p << " n=" << n << " begin=" << begin);
      }
    }
  auto [a, b] = with_1_and_2_threads([] {
    const std::int64_t n = 300001;
    const auto x = random_vector(n, 6);
    std::vector<float> y(static_cast<size_t>(n)), dx(static_cast<size_t>(n), 0.5f);
    kernels::dropout_forward(y.data(), x.data(), n, 0.3f, 4, 4);
    kernels::dropout_backward(dx.data(), x.data(), n, 0.3f, 4, 4);
    y.insert(y.end(), dx.begin(), dx.end());
    return y;
  });
  BOOST_TEST(bit_equal(a, b));
}

BOOST_AUTO_TEST_SUITE_END()
