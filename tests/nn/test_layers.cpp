#include <functional>
#include <map>
#include <string>

#include "nn/attention.h"
#include "nn/gru.h"
#include "nn/layers.h"
#include "nn/optim.h"
#include "nn_util.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(layers_suite)

BOOST_AUTO_TEST_CASE(embedding_padding_row_is_zero_gets_no_gradient_and_stays_zero) {
  nn::Embedding emb(6, 5, 0);
  emb.init_parameters(test_init());
  nn::Adam adam(emb.named_parameters(), nn::AdamOptions{});
  nn::Adam dense(emb.named_parameters(), nn::AdamOptions{0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, false, false});
  IndexTensor ids = IndexTensor::from(Shape{2, 3}, {0, 0, 3, 0, 1, 5});
  for (int step = 0; step < 3; ++step) {
    Var y = emb.forward(ids);
    BOOST_TEST(y->value[0] == 0.0f);
    backward(sum(mul(y, y)));
    BOOST_TEST(emb.weight()->grad[0] == 0.0f);
    (step % 2 ? dense : adam).step();
    emb.zero_grad();
  }
  for (int c = 0; c < 5; ++c) BOOST_TEST(emb.weight()->value[c] == 0.0f);
  // The padding row influences nothing it could learn from, so check the gradient without it.
  IndexTensor real = IndexTensor::from(Shape{2, 3}, {2, 1, 3, 3, 1, 5});
  expect_param_gradients("embedding", emb, [&] { return mul(emb.forward(real), emb.forward(real)); });
}

BOOST_AUTO_TEST_CASE(linear_and_layer_norm_gradcheck) {
  nn::Linear lin(7, 5);
  lin.init_parameters(test_init());
  Var x = parameter(random_tensor(Shape{2, 3, 7}, 1));
  expect_param_gradients("linear", lin, [&] { return lin.forward(x); }, {x});
  nn::LayerNorm ln(9);
  Var y = parameter(random_tensor(Shape{4, 9}, 2));
  GradcheckOptions o;
  o.eps = 5e-3f;
  expect_param_gradients("layer norm", ln, [&] { return ln.forward(y); }, {y}, o);
}

BOOST_AUTO_TEST_CASE(dropout_only_in_training) {
  auto rng = std::make_shared<Generator>(5);
  nn::Dropout d(0.5f, rng);
  Var x = constant(Tensor::full(Shape{1000}, 1.0f));
  d.eval();
  BOOST_TEST(d.forward(x) == x);
  d.train();
  Var a = d.forward(x), b = d.forward(x);
  BOOST_TEST(a->value.to_vector() != b->value.to_vector());  // a fresh stream per call
  BOOST_TEST(rng->state().counter == 2u);
}

BOOST_AUTO_TEST_CASE(attention_gradcheck_causality_and_padding) {
  for (std::int64_t heads : {1, 2}) {
    nn::CausalSelfAttention attn({8, heads, 0.0f, heads == 2}, nullptr);
    attn.init_parameters(test_init());
    const std::int64_t B = 2, T = 5;
    IndexTensor pad = IndexTensor::zeros(Shape{B, T});
    pad[0] = pad[1] = 1;
    Var q = parameter(random_tensor(Shape{B, T, 8}, 3)), kv = parameter(random_tensor(Shape{B, T, 8}, 4));
    GradcheckOptions o;
    o.eps = 5e-3f;
    expect_param_gradients("attention heads=" + std::to_string(heads), attn, [&] { return attn.forward(q, kv, pad); },
                           {q, kv}, o);
    Var y = attn.forward(q, kv, pad);
    // Causality: a change to the last key/value slot changes no earlier output. (Rows of batch 0
    // before its first real key see only masked keys: the original's uniform mix, masked later by
    // the model; they are skipped.)
    Tensor kv2 = kv->value.clone();
    for (std::int64_t b = 0; b < B; ++b)
      for (int c = 0; c < 8; ++c) kv2[(b * T + T - 1) * 8 + c] += 3.0f;
    Var y2 = attn.forward(q, constant(kv2), pad);
    for (std::int64_t b = 0; b < B; ++b)
      for (std::int64_t t = b == 0 ? 2 : 0; t < T - 1; ++t)
        for (int c = 0; c < 8; ++c) BOOST_REQUIRE(y2->value[(b * T + t) * 8 + c] == y->value[(b * T + t) * 8 + c]);
    // Padding keys are ignored: changing them changes no output of a query that has a real key.
    Tensor kv3 = kv->value.clone();
    for (int c = 0; c < 16; ++c) kv3[c] -= 2.0f;
    Var y3 = attn.forward(q, constant(kv3), pad);
    for (std::int64_t i = 2 * 8; i < B * T * 8; ++i) BOOST_REQUIRE(std::fabs(y3->value[i] - y->value[i]) < 1e-6f);
  }
}

// The fused attention op equals the composition it replaces (docs/style.md#compose-first), in the forward and in
// every gradient, dropout included (both draw the same mask from the same stream).
BOOST_AUTO_TEST_CASE(fused_attention_equals_its_composition) {
  for (std::int64_t heads : {1, 2}) {
    auto rng_a = std::make_shared<Generator>(3), rng_b = std::make_shared<Generator>(3);
    nn::CausalSelfAttention fused({8, heads, 0.25f, false}, rng_a), composed({8, heads, 0.25f, false}, rng_b);
    fused.init_parameters(test_init());
    composed.init_parameters(test_init());
    const std::int64_t B = 3, T = 6;
    IndexTensor pad = IndexTensor::zeros(Shape{B, T});
    pad[0] = pad[1] = pad[T] = 1;
    Tensor qv = random_tensor(Shape{B, T, 8}, 11), kvv = random_tensor(Shape{B, T, 8}, 12);
    Var q1 = parameter(qv.clone()), kv1 = parameter(kvv.clone()), q2 = parameter(qv.clone()), kv2 = parameter(kvv.clone());
    Var y1 = fused.forward(q1, kv1, pad), y2 = composed.forward_composed(q2, kv2, pad);
    BOOST_TEST(max_rel_err(y1->value.data(), y2->value.data(), y1->value.numel()) < 1e-5, "heads " << heads);
    Tensor R = random_tensor(y1->shape(), 13);
    backward(y1, R);
    backward(y2, R);
    BOOST_TEST(max_rel_err(q1->grad.data(), q2->grad.data(), q1->grad.numel()) < 1e-5);
    BOOST_TEST(max_rel_err(kv1->grad.data(), kv2->grad.data(), kv1->grad.numel()) < 1e-5);
    auto pa = fused.named_parameters(), pb = composed.named_parameters();
    for (size_t i = 0; i < pa.size(); ++i)
      BOOST_TEST(max_rel_err(pa[i].second->grad.data(), pb[i].second->grad.data(), pa[i].second->grad.numel()) < 1e-5,
                 pa[i].first);
    BOOST_TEST(rng_a->state().counter == rng_b->state().counter);  // one dropout stream each
  }
}

BOOST_AUTO_TEST_CASE(gru_gradcheck_and_padding_steps_keep_the_state) {
  nn::GRU gru(5, 4);
  gru.init_parameters(test_init());
  const std::int64_t B = 2, T = 4;
  Var x = parameter(random_tensor(Shape{B, T, 5}, 6));
  Tensor mask = Tensor::full(Shape{B, T}, 1.0f);
  mask[0] = mask[1] = 0.0f;  // sequence 0 left-padded by two steps
  expect_param_gradients("gru", gru, [&] { return gru.forward(x, mask); }, {x});
  Var y = gru.forward(x, mask);
  for (int c = 0; c < 4; ++c) BOOST_TEST((y->value[c] == 0.0f && y->value[4 + c] == 0.0f));
  // A left-padded sequence gives the same states as the unpadded one.
  Var tail = constant(Tensor::from(Shape{1, 2, 5}, std::vector<float>(x->value.data() + 10, x->value.data() + 20)));
  Var yt = gru.forward(tail);
  for (int i = 0; i < 8; ++i) BOOST_TEST(std::fabs(yt->value[i] - y->value[8 + i]) < 1e-6f);
}

BOOST_AUTO_TEST_CASE(fused_gru_equals_its_composition) {
  nn::GRU gru(5, 7);
  gru.init_parameters(test_init(9));
  // The second shape has more than 4096 (sequence, step) rows: the kernel rebuilds the recurrent
  // weight gradient over several blocks of sequences. Its bias gradient sums 6300 rows in float in
  // another order than the composition does, hence the looser bound there.
  for (auto [B, T] : {std::pair<std::int64_t, std::int64_t>{3, 6}, {9, 700}}) {
    Tensor xv = random_tensor(Shape{B, T, 5}, 8);
    Tensor mask = Tensor::full(Shape{B, T}, 1.0f);
    mask[0] = mask[1] = mask[2] = mask[T] = 0.0f;
    for (bool masked : {false, true}) {
      const Tensor mk = masked ? mask : Tensor();
      expect_fused_equals_composed(
          gru, xv, [&](const Var& x) { return gru.forward(x, mk); },
          [&](const Var& x) { return gru.forward_composed(x, mk); }, 10, T > 100 ? 1e-4 : 1e-5,
          "gru B=" + std::to_string(B) + " T=" + std::to_string(T) + (masked ? " masked" : ""));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
