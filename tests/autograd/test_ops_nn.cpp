#include "gradcheck_util.h"
#include "tensor/kernels/conv1d.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(ops_nn_suite)

BOOST_AUTO_TEST_CASE(softmax_and_log_softmax_gradcheck) {
  Tensor x = random_tensor(Shape{3, 4, 17}, 1, -3.0f, 3.0f);
  expect_gradients("softmax", [](const std::vector<Var>& v) { return softmax(v[0]); }, {x});
  expect_gradients("log_softmax", [](const std::vector<Var>& v) { return log_softmax(v[0]); }, {x});
}

BOOST_AUTO_TEST_CASE(layer_norm_gradcheck) {
  Tensor x = random_tensor(Shape{2, 3, 37}, 2, -2.0f, 2.0f), w = random_tensor(Shape{37}, 3), b = random_tensor(Shape{37}, 4);
  GradcheckOptions o;
  o.eps = 5e-3f;
  expect_gradients("layer_norm", [](const std::vector<Var>& v) { return layer_norm(v[0], v[1], v[2], 1e-8f); }, {x, w, b}, o);
}

BOOST_AUTO_TEST_CASE(layer_norm_relu_gradcheck) {
  // Rows 1 and 4 are padding (mask 0). The inputs are drawn until no normalised value is within
  // 0.1 of ReLU's kink, where a finite difference would straddle it.
  const Shape s{2, 3, 13};
  Tensor x, w, b;
  for (std::uint64_t seed = 12;; seed += 3) {
    x = random_tensor(s, seed, -2.0f, 2.0f);
    w = random_tensor(Shape{13}, seed + 1, 0.5f, 1.5f);
    b = random_tensor(Shape{13}, seed + 2);
    Var z = layer_norm(constant(x), constant(w), constant(b), 1e-8f);
    float closest = 1.0f;
    for (std::int64_t i = 0; i < z->value.numel(); ++i) closest = std::min(closest, std::fabs(z->value[i]));
    if (closest > 0.1f) break;
  }
  Tensor r = random_tensor(s, 15);
  Tensor mask = Tensor::full(Shape{2, 3}, 1.0f);
  mask[1] = mask[4] = 0.0f;
  GradcheckOptions o;
  o.eps = 2e-3f;
  expect_gradients("layer_norm_relu with residual",
                   [mask](const std::vector<Var>& v) { return layer_norm_relu(v[0], v[1], v[2], 1e-8f, mask, v[3]); },
                   {x, w, b, r}, o);
  expect_gradients("layer_norm_relu, no mask",
                   [](const std::vector<Var>& v) { return layer_norm_relu(v[0], v[1], v[2], 1e-8f, Tensor()); }, {x, w, b}, o);
}

BOOST_AUTO_TEST_CASE(dropout_gradcheck_mask_and_rate) {
  Tensor x = random_tensor(Shape{5, 37}, 5);
  expect_gradients("dropout", [](const std::vector<Var>& v) { return dropout(v[0], 0.3f, 42, 7); }, {x});
  // Same (seed, stream): same mask; other stream: another mask; kept fraction near 1 - p.
  Tensor big = Tensor::full(Shape{100000}, 1.0f);
  Var a = dropout(constant(big), 0.3f, 42, 7), b = dropout(constant(big), 0.3f, 42, 7), c = dropout(constant(big), 0.3f, 42, 8);
  BOOST_TEST(a->value.to_vector() == b->value.to_vector());
  BOOST_TEST(a->value.to_vector() != c->value.to_vector());
  double kept = 0, total = 0;
  for (std::int64_t i = 0; i < big.numel(); ++i) {
    kept += a->value[i] != 0.0f;
    total += a->value[i];
  }
  BOOST_TEST(std::fabs(kept / 1e5 - 0.7) < 0.01);
  BOOST_TEST(std::fabs(total / 1e5 - 1.0) < 0.02);  // inverted dropout keeps the expectation
  Var x0 = constant(big);
  BOOST_TEST(dropout(x0, 0.0f, 1, 1) == x0);  // p = 0 is the identity
}

BOOST_AUTO_TEST_CASE(causal_attention_gradcheck) {
  // Two batch rows of two heads each, T = 7, D = 5; batch row 0 has two padding keys.
  IndexTensor pad = IndexTensor::zeros(Shape{2, 7});
  pad[0] = pad[1] = 1;
  Tensor q = random_tensor(Shape{4, 7, 5}, 21), k = random_tensor(Shape{4, 7, 5}, 22), v = random_tensor(Shape{4, 7, 5}, 23);
  for (float p : {0.0f, 0.3f}) {
    expect_gradients("causal_attention dropout " + std::to_string(p),
                     [pad, p](const std::vector<Var>& x) { return causal_attention(x[0], x[1], x[2], pad, 2, 0.45f, p, 9, 4); },
                     {q, k, v});
  }
  expect_gradients("causal_attention without padding",
                   [](const std::vector<Var>& x) { return causal_attention(x[0], x[1], x[2], IndexTensor(), 1, 0.45f, 0.0f, 0, 0); },
                   {q, k, v});
}

BOOST_AUTO_TEST_CASE(gru_gradcheck) {
  Tensor x = random_tensor(Shape{3, 5, 6}, 30), wi = random_tensor(Shape{6, 12}, 34), bi = random_tensor(Shape{12}, 35);
  Tensor w = random_tensor(Shape{4, 12}, 32), b = random_tensor(Shape{12}, 33);
  Tensor mask = Tensor::full(Shape{3, 5}, 1.0f);
  mask[0] = mask[1] = 0.0f;
  expect_gradients("gru", [mask](const std::vector<Var>& v) { return gru(v[0], v[1], v[2], v[3], v[4], mask); },
                   {x, wi, bi, w, b});
  expect_gradients("gru, all real", [](const std::vector<Var>& v) { return gru(v[0], v[1], v[2], v[3], v[4], Tensor()); },
                   {x, wi, bi, w, b});
}

BOOST_AUTO_TEST_CASE(causal_conv1d_gradcheck_and_reference) {
  for (std::int64_t d : {1, 2, 4}) {
    const std::int64_t B = 2, T = 9, Cin = 5, Cout = 7, K = 3;
    Tensor x = random_tensor(Shape{B, T, Cin}, 6), w = random_tensor(Shape{K, Cin, Cout}, 7), b = random_tensor(Shape{Cout}, 8);
    expect_gradients("causal_conv1d d=" + std::to_string(d),
                     [d](const std::vector<Var>& v) { return causal_conv1d(v[0], v[1], v[2], d); }, {x, w, b});
    Var y = causal_conv1d(constant(x), constant(w), constant(b), d);
    std::vector<float> ref(static_cast<size_t>(B * T * Cout));
    kernels::causal_conv1d_forward_ref(ref.data(), x.data(), w.data(), b.data(), B, T, Cin, Cout, K, d);
    BOOST_TEST(max_rel_err(y->value.data(), ref.data(), B * T * Cout) < 1e-5);
    // Causality: changing the last step of x changes no earlier output.
    Tensor x2 = x.clone();
    for (std::int64_t c = 0; c < Cin; ++c) x2[(T - 1) * Cin + c] += 1.0f;
    Var y2 = causal_conv1d(constant(x2), constant(w), constant(b), d);
    for (std::int64_t i = 0; i < (T - 1) * Cout; ++i) BOOST_REQUIRE(y2->value[i] == y->value[i]);
  }
  // One long sequence: the tiles of rows run within one sequence.
  {
    const std::int64_t T = 23, Cin = 5, Cout = 7, K = 3;
    Tensor x = random_tensor(Shape{1, T, Cin}, 16), w = random_tensor(Shape{K, Cin, Cout}, 17), b = random_tensor(Shape{Cout}, 18);
    expect_gradients("causal_conv1d, one sequence", [](const std::vector<Var>& v) { return causal_conv1d(v[0], v[1], v[2], 2); },
                     {x, w, b});
    Var y = causal_conv1d(constant(x), constant(w), constant(b), 2);
    std::vector<float> ref(static_cast<size_t>(T * Cout));
    kernels::causal_conv1d_forward_ref(ref.data(), x.data(), w.data(), b.data(), 1, T, Cin, Cout, K, 2);
    BOOST_TEST(max_rel_err(y->value.data(), ref.data(), T * Cout) < 1e-5);
  }
  // Dilation larger than the sequence: only the current step's tap remains.
  expect_gradients("causal_conv1d d=16", [](const std::vector<Var>& v) { return causal_conv1d(v[0], v[1], v[2], 16); },
                   {random_tensor(Shape{1, 4, 3}, 9), random_tensor(Shape{3, 3, 2}, 10), random_tensor(Shape{2}, 11)});
}

BOOST_AUTO_TEST_SUITE_END()
