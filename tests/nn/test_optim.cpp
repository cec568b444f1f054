#include "nn/layers.h"
#include "nn/optim.h"
#include "nn_util.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(optim_suite)

// Note [Lazy Adam]: on rows touched at every step, lazy and dense Adam agree; on a row touched
// once, lazy Adam leaves it alone afterwards while dense Adam keeps moving it.
BOOST_AUTO_TEST_CASE(lazy_adam_equals_dense_adam_on_rows_touched_every_step) {
  nn::Embedding a(6, 5, 0), b(6, 5, 0);
  a.init_parameters(test_init());
  b.init_parameters(test_init());
  nn::AdamOptions lazy, dense;
  lazy.lr = dense.lr = 0.05f;
  dense.lazy_rows = false;
  nn::Adam opt_a(a.named_parameters(), lazy), opt_b(b.named_parameters(), dense);
  for (int step = 0; step < 6; ++step) {
    IndexTensor ids = step == 0 ? IndexTensor::from(Shape{3}, {1, 2, 4}) : IndexTensor::from(Shape{3}, {2, 1, 1});
    for (auto [m, opt] : {std::pair{&a, &opt_a}, std::pair{&b, &opt_b}}) {
      Var y = m->forward(ids);
      backward(sum(mul(y, add_scalar(y, 1.0f))));
      BOOST_TEST((m->weight()->grad_state == GradState::Rows));
      opt->step();
      m->zero_grad();
    }
  }
  const Tensor& wa = a.weight()->value;
  const Tensor& wb = b.weight()->value;
  BOOST_TEST(max_rel_err(wa.data() + 5, wb.data() + 5, 10) < 1e-6);  // rows 1 and 2: every step
  double moved = 0;
  for (int c = 0; c < 5; ++c) moved += std::fabs(wa[20 + c] - wb[20 + c]);  // row 4: only at step 0
  BOOST_TEST(moved > 1e-3);
  for (int c = 0; c < 5; ++c) BOOST_TEST(wa[15 + c] == wb[15 + c]);  // row 3: never touched by either
}

BOOST_AUTO_TEST_CASE(clip_grad_norm_scales_to_the_bound) {
  Var p = parameter(Tensor::zeros(Shape{2}));
  dense_grad(*p).copy_from(Tensor::from(Shape{2}, {3.0f, 4.0f}));
  nn::NamedParams params = {{"p", p}};
  BOOST_TEST(nn::clip_grad_norm(params, 1.0f) == 5.0f);
  BOOST_TEST(std::fabs(p->grad[0] - 0.6f) < 1e-6f);
  BOOST_TEST(std::fabs(p->grad[1] - 0.8f) < 1e-6f);
  BOOST_TEST(nn::clip_grad_norm(params, 10.0f) < 1.0001f);  // already within: unchanged
}

// Note [Gradient step]: backward, the gradient clipped to clip_norm, the optimiser's step, then the
// optimiser's gradients zeroed; a tensor the loss reaches outside the optimiser keeps its gradient.
BOOST_AUTO_TEST_CASE(gradient_step_clips_steps_and_zeroes) {
  for (float clip : {0.0f, 1.0f, 10.0f}) {
    // loss = 3 p0 + 4 p1 + sum(other): p's gradient (3, 4) has norm 5; SGD with lr 1 moves p by
    // minus the (clipped) gradient.
    Var p = parameter(Tensor::zeros(Shape{2}));
    Var other = parameter(Tensor::from(Shape{2}, {1.0f, 1.0f}));
    nn::SGD opt({{"p", p}}, nn::SGDOptions{1.0f});
    const Var loss = add(sum(mul(p, constant(Tensor::from(Shape{2}, {3.0f, 4.0f})))), sum(other));
    const float norm = nn::gradient_step(loss, opt, clip);
    const float c = clip > 0.0f && clip < 5.0f ? clip / 5.0f : 1.0f;
    BOOST_TEST(norm == (clip > 0.0f ? 5.0f : 0.0f), "clip " << clip);
    BOOST_TEST(std::fabs(p->value[0] + 3.0f * c) < 1e-6f, "clip " << clip);
    BOOST_TEST(std::fabs(p->value[1] + 4.0f * c) < 1e-6f, "clip " << clip);
    BOOST_TEST((p->grad_state == GradState::None), "clip " << clip);  // zeroed for the next step
    BOOST_TEST((other->grad_state == GradState::Dense), "clip " << clip);
    BOOST_TEST(other->grad[0] == 1.0f);
  }
}

// A 2-layer MLP learns a non-linear rule (points inside a ring) to near-zero loss.
BOOST_AUTO_TEST_CASE(two_layer_mlp_trains_to_near_zero_loss, *boost::unit_test::label("learning")) {
  struct MLP : nn::Module {
    nn::Linear l1{2, 16}, l2{16, 1};
    MLP() {
      register_module("l1", l1);
      register_module("l2", l2);
    }
    Var forward(const Var& x) const { return l2.forward(tanh(l1.forward(x))); }
  } mlp;
  mlp.init_parameters(test_init(7));
  const std::int64_t N = 256;
  Tensor x = Tensor::empty(Shape{N, 2}), t = Tensor::empty(Shape{N, 1});
  Generator g(3);
  for (std::int64_t i = 0; i < N; ++i) {
    const float a = g.uniform(-2.0f, 2.0f), b = g.uniform(-2.0f, 2.0f);
    x[2 * i] = a;
    x[2 * i + 1] = b;
    const float r = std::sqrt(a * a + b * b);
    t[i] = r > 0.8f && r < 1.6f ? 1.0f : 0.0f;
  }
  nn::AdamOptions o;
  o.lr = 0.03f;
  nn::Adam adam(mlp.named_parameters(), o);
  float first = 0, last = 0;
  for (int step = 0; step < 1500; ++step) {
    Var loss = mean(bce_with_logits(mlp.forward(constant(x)), t));
    if (step == 0) first = loss->value.item();
    last = loss->value.item();
    backward(loss);
    adam.step();
    mlp.zero_grad();
  }
  BOOST_TEST_MESSAGE("MLP loss " << first << " -> " << last);
  BOOST_TEST(first > 0.5f);
  BOOST_TEST(last < 0.05f);
}

BOOST_AUTO_TEST_SUITE_END()
