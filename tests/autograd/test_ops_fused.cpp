// The fused ops of the models (autograd/ops_fused.cpp): gradient checks, and each fused op that
// replaces a composition against that composition.
#include <cmath>
#include <functional>

#include "gradcheck_util.h"
#include "tensor/kernels/conv1d.h"

using namespace l2;
using namespace l2::test;

namespace {
// A fused op against its composition (docs/style.md#compose-first): run on copies of the same
// inputs, the same output and, after backpropagating one random upstream gradient through each,
// the same gradient of every input, within `tol` relative error.
void expect_fused_equals_composed(const std::string& what, const std::function<Var(const std::vector<Var>&)>& fused,
                                  const std::function<Var(const std::vector<Var>&)>& composed,
                                  const std::vector<Tensor>& inputs, double tol) {
  std::vector<Var> a, b;
  for (const Tensor& t : inputs) {
    a.push_back(parameter(t.clone()));
    b.push_back(parameter(t.clone()));
  }
  Var ya = fused(a), yb = composed(b);
  BOOST_TEST(max_rel_err(ya->value.data(), yb->value.data(), ya->value.numel()) < tol, what << ": output");
  const Tensor R = random_tensor(ya->shape(), 13);
  backward(ya, R);
  backward(yb, R);
  for (size_t i = 0; i < inputs.size(); ++i) {
    const double err = max_rel_err(a[i]->grad.data(), b[i]->grad.data(), a[i]->grad.numel());
    BOOST_TEST(err < tol, what << ": gradient of input " << i << ", relative error " << err);
  }
}
}  // namespace

BOOST_AUTO_TEST_SUITE(ops_fused_suite)

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

// Dropout included: both draw the same mask from the same (seed, stream).
BOOST_AUTO_TEST_CASE(fused_attention_equals_its_composition) {
  const std::int64_t B = 3, T = 6, dim = 8;
  IndexTensor pad = IndexTensor::zeros(Shape{B, T});
  pad[0] = pad[1] = pad[T] = 1;
  for (std::int64_t heads : {1, 2}) {
    const std::int64_t D = dim / heads;
    const Shape s{B * heads, T, D};
    const float scale = 1.0f / std::sqrt(float(D));
    for (const IndexTensor& kp : {pad, IndexTensor()})
      expect_fused_equals_composed(
          "attention, heads " + std::to_string(heads) + (kp.defined() ? ", padded" : ""),
          [&](const std::vector<Var>& v) { return causal_attention(v[0], v[1], v[2], kp, heads, scale, 0.25f, 3, 5); },
          [&](const std::vector<Var>& v) {
            return causal_attention_composed(v[0], v[1], v[2], kp, heads, scale, 0.25f, 3, 5);
          },
          {random_tensor(s, 11), random_tensor(s, 12), random_tensor(s, 14)}, 1e-5);
  }
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

BOOST_AUTO_TEST_CASE(fused_gru_equals_its_composition) {
  const std::int64_t I = 5, H = 7, G = 3 * H;
  // The second shape has more than 4096 (sequence, step) rows: the kernel rebuilds the recurrent
  // weight gradient over several blocks of sequences. Its bias gradient sums 6300 rows in float in
  // another order than the composition does, hence the looser bound there.
  for (auto [B, T] : {std::pair<std::int64_t, std::int64_t>{3, 6}, {9, 700}}) {
    Tensor mask = Tensor::full(Shape{B, T}, 1.0f);
    mask[0] = mask[1] = mask[2] = mask[T] = 0.0f;
    const std::vector<Tensor> inputs = {random_tensor(Shape{B, T, I}, 8), random_tensor(Shape{I, G}, 9, -0.7f, 0.7f),
                                        random_tensor(Shape{G}, 10, -0.1f, 0.1f), random_tensor(Shape{H, G}, 11, -0.6f, 0.6f),
                                        random_tensor(Shape{G}, 12, -0.1f, 0.1f)};
    for (bool masked : {false, true}) {
      const Tensor mk = masked ? mask : Tensor();
      expect_fused_equals_composed(
          "gru B=" + std::to_string(B) + " T=" + std::to_string(T) + (masked ? " masked" : ""),
          [&](const std::vector<Var>& v) { return gru(v[0], v[1], v[2], v[3], v[4], mk); },
          [&](const std::vector<Var>& v) { return gru_composed(v[0], v[1], v[2], v[3], v[4], mk); }, inputs,
          T > 100 ? 1e-4 : 1e-5);
    }
  }
}

// GRU4Rec's shapes (input 64, 100 units: several SIMD vectors and a tail), rows left-padded to
// different lengths as in a training batch.
BOOST_AUTO_TEST_CASE(fused_gru_equals_its_composition_at_gru4rec_shapes) {
  const std::int64_t B = 16, T = 50, I = 64, H = 100, G = 3 * H;
  Tensor mask = Tensor::full(Shape{B, T}, 1.0f);
  for (std::int64_t b = 0; b < B; ++b)
    for (std::int64_t t = 0; t < (b * 7) % (T - 1); ++t) mask[b * T + t] = 0.0f;
  const std::vector<Tensor> inputs = {random_tensor(Shape{B, T, I}, 18), random_tensor(Shape{I, G}, 19, -0.13f, 0.13f),
                                      random_tensor(Shape{G}, 20, -0.1f, 0.1f), random_tensor(Shape{H, G}, 21, -0.12f, 0.12f),
                                      random_tensor(Shape{G}, 22, -0.1f, 0.1f)};
  expect_fused_equals_composed(
      "gru B=16 T=50 I=64 H=100 masked", [&](const std::vector<Var>& v) { return gru(v[0], v[1], v[2], v[3], v[4], mask); },
      [&](const std::vector<Var>& v) { return gru_composed(v[0], v[1], v[2], v[3], v[4], mask); }, inputs, 1e-4);
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

BOOST_AUTO_TEST_CASE(sampled_bce_loss_gradcheck) {
  Tensor h = random_tensor(Shape{6, 9}, 3), table = random_tensor(Shape{5, 9}, 4);
  IndexTensor pos = IndexTensor::from(Shape{6}, {1, 2, 3, 0, 4, 2}), neg = IndexTensor::from(Shape{6}, {4, 3, 1, 0, 2, 2});
  Tensor w = Tensor::from(Shape{6}, {1.0f, 0.5f, 2.0f, 0.0f, 1.0f, 1.0f});
  expect_gradients("sampled_bce_loss",
                   [=](const std::vector<Var>& v) { return sampled_bce_loss(v[0], v[1], pos, neg, w, 5.0); }, {h, table});
}

BOOST_AUTO_TEST_SUITE_END()
