// The causal convolution kernels against the naive loops: the direct form (Note [Direct causal
// convolution]; K != 3) and Winograd's F(2,3) for K = 3 (Note [Winograd F(2,3)]): every tile shape
// (row tails, one- and two-vector column tiles, partial vectors), dilations that reach past the
// start, sequences whose last steps have no partner (and ones shorter than 2d, all unpaired),
// weight gradients summed in several chunks, and the same bits for 1 and 2 threads.
#include <boost/test/unit_test.hpp>

#include "../common/test_util.h"
#include "tensor/kernels/conv1d.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(conv1d_kernels)

BOOST_AUTO_TEST_CASE(forward_and_backward_match_reference) {
  struct Case {
    std::int64_t B, T, Cin, Cout, K, d;
  };
  for (const Case& c : {Case{1, 1, 1, 1, 1, 1}, Case{2, 9, 5, 7, 3, 1}, Case{3, 13, 17, 37, 3, 2}, Case{5, 11, 24, 16, 2, 4},
                        Case{4, 5, 8, 9, 3, 8}, Case{40, 50, 19, 33, 3, 2}, Case{7, 31, 64, 64, 3, 1},
                        Case{9, 70, 20, 13, 4, 3}, Case{6, 50, 64, 64, 2, 1}, Case{12, 50, 64, 64, 3, 4}}) {
    const std::int64_t nx = c.B * c.T * c.Cin, ny = c.B * c.T * c.Cout, nw = c.K * c.Cin * c.Cout;
    const auto x = random_vector(nx, 1), w = random_vector(nw, 2), b = random_vector(c.Cout, 3), g = random_vector(ny, 4);
    std::vector<float> y(static_cast<size_t>(ny)), yr(static_cast<size_t>(ny));
    kernels::causal_conv1d_forward(y.data(), x.data(), w.data(), b.data(), c.B, c.T, c.Cin, c.Cout, c.K, c.d);
    kernels::causal_conv1d_forward_ref(yr.data(), x.data(), w.data(), b.data(), c.B, c.T, c.Cin, c.Cout, c.K, c.d);
    BOOST_TEST(max_rel_err(y, yr) < 1e-5, "forward B=" << c.B << " T=" << c.T << " Cin=" << c.Cin << " Cout=" << c.Cout);
    auto dx = random_vector(nx, 5), dw = random_vector(nw, 6), db = random_vector(c.Cout, 7);
    auto dxr = dx, dwr = dw, dbr = db;
    kernels::causal_conv1d_backward(dx.data(), dw.data(), db.data(), g.data(), x.data(), w.data(), c.B, c.T, c.Cin, c.Cout,
                                    c.K, c.d);
    kernels::causal_conv1d_backward_ref(dxr.data(), dwr.data(), dbr.data(), g.data(), x.data(), w.data(), c.B, c.T, c.Cin,
                                        c.Cout, c.K, c.d);
    const double tol = 1e-5 * std::sqrt(double(c.B * c.T));
    BOOST_TEST(max_rel_err(dx, dxr) < 1e-5, "dx B=" << c.B << " T=" << c.T << " Cin=" << c.Cin << " Cout=" << c.Cout);
    BOOST_TEST(max_rel_err(dw, dwr) < tol, "dw B=" << c.B << " T=" << c.T << " Cin=" << c.Cin << " Cout=" << c.Cout);
    BOOST_TEST(max_rel_err(db, dbr) < tol, "db B=" << c.B << " T=" << c.T << " Cin=" << c.Cin << " Cout=" << c.Cout);
    // Gradients that are not asked for are not touched.
    auto dx2 = random_vector(nx, 5);
    kernels::causal_conv1d_backward(dx2.data(), nullptr, nullptr, g.data(), x.data(), w.data(), c.B, c.T, c.Cin, c.Cout,
                                    c.K, c.d);
    BOOST_TEST(bit_equal(dx2, dx));
  }
}

BOOST_AUTO_TEST_CASE(bit_identical_for_one_and_two_threads) {
  const std::int64_t B = 37, T = 50, Cin = 100, Cout = 100, K = 3, d = 2;
  const auto x = random_vector(B * T * Cin, 8), w = random_vector(K * Cin * Cout, 9), b = random_vector(Cout, 10);
  const auto g = random_vector(B * T * Cout, 11);
  auto [r1, r2] = with_1_and_2_threads([&] {
    std::vector<float> y(static_cast<size_t>(B * T * Cout)), dx(static_cast<size_t>(B * T * Cin), 0.0f),
        dw(static_cast<size_t>(K * Cin * Cout), 0.0f), db(static_cast<size_t>(Cout), 0.0f);
    kernels::causal_conv1d_forward(y.data(), x.data(), w.data(), b.data(), B, T, Cin, Cout, K, d);
    kernels::causal_conv1d_backward(dx.data(), dw.data(), db.data(), g.data(), x.data(), w.data(), B, T, Cin, Cout, K, d);
    y.insert(y.end(), dx.begin(), dx.end());
    y.insert(y.end(), dw.begin(), dw.end());
    y.insert(y.end(), db.begin(), db.end());
    return y;
  });
  BOOST_TEST(bit_equal(r1, r2));
}

BOOST_AUTO_TEST_SUITE_END()
