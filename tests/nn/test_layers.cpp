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

BOOST_AUTO_TEST_SUITE_END()
