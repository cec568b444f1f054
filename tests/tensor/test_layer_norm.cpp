#include <boost/test/unit_test.hpp>

#include "../common/test_util.h"
#include "tensor/kernels/layer_norm.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(layer_norm_kernels)

BOOST_AUTO_TEST_CASE(forward_and_backward_match_reference) {
  for (std::int64_t C : kAwkwardSizes)
    for (std::int64_t N : {1, 3, 1500}) {
      if (C == 1) continue;  // a one-channel row normalises to 0/0 * 0: nothing to check
      auto x = random_vector(N * C, 3 + C, -3.0f, 5.0f), w = random_vector(C, 4), b = random_vector(C, 5);
      std::vector<float> o(x.size()), orf(x.size()), m(static_cast<size_t>(N)), mr(static_cast<size_t>(N)), r(static_cast<size_t>(N)), rr(static_cast<size_t>(N));
      kernels::layer_norm_forward(o.data(), m.data(), r.data(), x.data(), w.data(), b.data(), N, C, 1e-8f);
      kernels::layer_norm_forward_ref(orf.data(), mr.data(), rr.data(), x.data(), w.data(), b.data(), N, C, 1e-8f);
      BOOST_TEST(max_rel_err(o, orf) < 1e-5, "forward N=" << N << " C=" << C);
      BOOST_TEST(max_rel_err(r, rr) < 1e-5);
      auto dout = random_vector(N * C, 6);
      std::vector<float> dx(x.size(), 0.1f), dxr = dx, dw(static_cast<size_t>(C), 0.2f), dwr = dw, db(static_cast<size_t>(C), 0.3f), dbr = db;
      kernels::layer_norm_backward(dx.data(), dw.data(), db.data(), dout.data(), x.data(), w.data(), mr.data(),
                                   rr.data(), N, C);
      kernels::layer_norm_backward_ref(dxr.data(), dwr.data(), dbr.data(), dout.data(), x.data(), w.data(), mr.data(),
                                       rr.data(), N, C);
      BOOST_TEST(max_rel_err(dx, dxr) < 1e-4, "dx N=" << N << " C=" << C);
      BOOST_TEST(max_rel_err(dw, dwr) < 1e-5 * std::sqrt(double(N)), "dw N=" << N << " C=" << C);
      BOOST_TEST(max_rel_err(db, dbr) < 1e-5 * std::sqrt(double(N)), "db N=" << N << " C=" << C);
    }
}

BOOST_AUTO_TEST_CASE(normalised_rows_have_zero_mean_unit_variance) {
  const std::int64_t C = 100;
  auto x = random_vector(C, 1, 1000.0f, 1001.0f);  // large mean, small spread
  std::vector<float> w(static_cast<size_t>(C), 1.0f), b(static_cast<size_t>(C), 0.0f), o(static_cast<size_t>(C));
  float m, r;
  kernels::layer_norm_forward(o.data(), &m, &r, x.data(), w.data(), b.data(), 1, C, 1e-8f);
  double s = 0, s2 = 0;
  for (float v : o) {
    s += v;
    s2 += v * v;
  }
  BOOST_TEST(std::fabs(s / C) < 1e-3);
  BOOST_TEST(std::fabs(s2 / C - 1.0) < 1e-3);
}

// The fused layer norm + ReLU + row mask + residual against its scalar reference, with padding rows
// (mask 0) among the rows and a residual or none.
BOOST_AUTO_TEST_CASE(fused_layer_norm_relu_matches_reference) {
  for (std::int64_t C : {7, 17, 63, 100})
    for (std::int64_t N : {1, 5, 1500})
      for (bool with_res : {false, true}) {
        auto x = random_vector(N * C, 3 + C, -3.0f, 5.0f), w = random_vector(C, 4), b = random_vector(C, 5);
        auto res = random_vector(N * C, 6), dout = random_vector(N * C, 7);
        std::vector<float> mask(static_cast<size_t>(N), 1.0f);
        for (std::int64_t n = 0; n < N; n += 3) mask[size_t(n)] = 0.0f;
        const float* rp = with_res ? res.data() : nullptr;
        std::vector<float> o(x.size()), orf(x.size()), m(static_cast<size_t>(N)), mr = m, r = m, rr = m;
        kernels::layer_norm_relu_forward(o.data(), m.data(), r.data(), x.data(), w.data(), b.data(), mask.data(), rp, N,
                                         C, 1e-8f);
        kernels::layer_norm_relu_forward_ref(orf.data(), mr.data(), rr.data(), x.data(), w.data(), b.data(), mask.data(),
                                             rp, N, C, 1e-8f);
        BOOST_TEST(max_rel_err(o, orf) < 1e-5, "forward N=" << N << " C=" << C);
        std::vector<float> dx(x.size(), 0.1f), dxr = dx, dw(static_cast<size_t>(C), 0.2f), dwr = dw,
            db(static_cast<size_t>(C), 0.3f), dbr = db;
        kernels::layer_norm_relu_backward(dx.data(), dw.data(), db.data(), dout.data(), x.data(), w.data(), b.data(),
                                          m.data(), r.data(), mask.data(), N, C);
        kernels::layer_norm_relu_backward_ref(dxr.data(), dwr.data(), dbr.data(), dout.data(), x.data(), w.data(),
                                              b.data(), mr.data(), rr.data(), mask.data(), N, C);
        BOOST_TEST(max_rel_err(dx, dxr) < 1e-4, "dx N=" << N << " C=" << C);
        BOOST_TEST(max_rel_err(dw, dwr) < 1e-5 * std::sqrt(double(N)), "dw N=" << N << " C=" << C);
        BOOST_TEST(max_rel_err(db, dbr) < 1e-5 * std::sqrt(double(N)), "db N=" << N << " C=" << C);
        // A padding row is the residual (or zero) and receives no gradient.
        for (std::int64_t c = 0; c < C; ++c) {
          BOOST_REQUIRE(o[size_t(c)] == (with_res ? res[size_t(c)] : 0.0f));
          BOOST_REQUIRE(dx[size_t(c)] == 0.1f);
        }
      }
}

BOOST_AUTO_TEST_SUITE_END()
