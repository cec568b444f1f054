// The blocks of the recommenders (recsys/models/*_block.h, feed_forward.h): parameter names as the
// originals', outputs and gradients against PyTorch on fixed inputs and weights (tests/recsys/fixtures,
// written by bench/reference/make_nn_fixtures.py), gradient checks, padding and causality, and the
// fused NextItNet block against its composition.
#include "../common/fixture.h"
#include "../nn/nn_util.h"
#include "recsys/models/feed_forward.h"
#include "recsys/models/nextitnet_block.h"
#include "recsys/models/sasrec_block.h"

using namespace l2;
using namespace l2::recsys;
using namespace l2::test;

namespace {
// A fused layer against its composition from primitive ops (docs/style.md#compose-first): the same
// output, and after backpropagating the same random upstream gradient through each, the same input
// and parameter gradients, within `tol` relative error.
void expect_fused_equals_composed(nn::Module& m, const Tensor& xv, const std::function<Var(const Var&)>& fused,
                                         const std::function<Var(const Var&)>& composed, std::uint64_t seed, double tol,
                                         const std::string& what) {
  Var x1 = parameter(xv.clone()), x2 = parameter(xv.clone());
  Var y1 = fused(x1), y2 = composed(x2);
  BOOST_TEST(max_rel_err(y1->value.data(), y2->value.data(), y1->value.numel()) < tol, what << ": output");
  Tensor R = random_tensor(y1->shape(), seed);
  backward(y1, R);
  std::map<std::string, Tensor> g1;
  for (auto& [n, v] : m.named_parameters()) g1[n] = v->grad.clone();
  m.zero_grad();
  backward(y2, R);
  BOOST_TEST(max_rel_err(x1->grad.data(), x2->grad.data(), x1->grad.numel()) < tol, what << ": input gradient");
  for (auto& [n, v] : m.named_parameters()) {
    const double err = max_rel_err(g1[n].data(), v->grad.data(), v->grad.numel());
    BOOST_TEST(err < tol, what << ": " << n << " gradient, relative error " << err);
  }
  m.zero_grad();
}
}  // namespace

BOOST_AUTO_TEST_SUITE(blocks_suite)

BOOST_AUTO_TEST_CASE(sasrec_block_parameters_are_named_and_ordered) {
  SASRecBlock block(8, 1, 0.0f, nullptr);
  std::vector<std::string> names;
  for (auto& [n, v] : block.named_parameters()) names.push_back(n);
  BOOST_TEST(names.front() == "ln_attn.weight");
  BOOST_TEST(names[2] == "attn.q.weight");
  BOOST_TEST(names.back() == "ffn.w2.bias");
}

BOOST_AUTO_TEST_CASE(sasrec_block_matches_pytorch) {
  auto ref = load_fixture("recsys/fixtures/sasrec_block.txt");
  SASRecBlock block(8, 1, 0.0f, nullptr);
  Var x = parameter(ref.at("x"));
  IndexTensor pad = to_index(ref.at("key_padding"));
  compare_with_reference("SASRec block", block, ref, x, [&] { return block.forward(x, pad, ref.at("mask")); });
}

BOOST_AUTO_TEST_CASE(nextitnet_block_matches_pytorch) {
  auto ref = load_fixture("recsys/fixtures/nextitnet_block.txt");
  NextItNetBlock block(6, 3, 2);
  Var x = parameter(ref.at("x"));
  compare_with_reference("NextItNet block", block, ref, x, [&] { return block.forward(x); });
}

BOOST_AUTO_TEST_CASE(feed_forward_gradcheck) {
  PointwiseFeedForward ffn(6, 6, 0.0f, nullptr);
  ffn.init_parameters(test_init());
  Var x = parameter(random_tensor(Shape{2, 3, 6}, 5));
  GradcheckOptions o;
  o.eps = 1e-3f;  // a small step rarely crosses a ReLU kink
  expect_param_gradients("feed-forward", ffn, [&] { return ffn.forward(x); }, {x}, o);
}

BOOST_AUTO_TEST_CASE(fused_nextitnet_block_equals_its_composition) {
  NextItNetBlock block(7, 3, 2);
  nn::Init init = test_init(4);
  init.scheme = nn::Init::TruncatedNormal;
  init.std = 0.3f;
  block.init_parameters(init);
  const std::int64_t B = 3, T = 11;
  Tensor xv = random_tensor(Shape{B, T, 7}, 5);
  Tensor mask = Tensor::full(Shape{B, T}, 1.0f);
  mask[0] = mask[1] = mask[T] = 0.0f;
  for (bool masked : {false, true}) {
    const Tensor mk = masked ? mask : Tensor();
    expect_fused_equals_composed(
        block, xv, [&](const Var& x) { return block.forward(x, mk); },
        [&](const Var& x) { return block.forward_composed(x, mk); }, 6, 1e-5,
        std::string("nextitnet block") + (masked ? " masked" : ""));
  }
}

BOOST_AUTO_TEST_CASE(nextitnet_block_gradcheck_causality_and_padding) {
  NextItNetBlock block(6, 3, 1);
  nn::Init init = test_init();
  init.scheme = nn::Init::TruncatedNormal;
  init.std = 0.3f;
  block.init_parameters(init);
  const std::int64_t B = 1, T = 8;
  Var x = parameter(random_tensor(Shape{B, T, 6}, 7));
  Tensor mask = Tensor::full(Shape{B, T}, 1.0f);
  GradcheckOptions o;
  o.eps = 5e-3f;
  expect_param_gradients("nextitnet block", block, [&] { return block.forward(x, mask); }, {x}, o);
  // Padding invariance: three zero padding steps in front change nothing at the real steps.
  Tensor padded = Tensor::zeros(Shape{1, T + 3, 6});
  for (std::int64_t i = 0; i < T * 6; ++i) padded[18 + i] = x->value[i];
  Tensor pmask = Tensor::full(Shape{1, T + 3}, 1.0f);
  pmask[0] = pmask[1] = pmask[2] = 0.0f;
  Var y = block.forward(x, mask), yp = block.forward(constant(padded), pmask);
  for (std::int64_t i = 0; i < T * 6; ++i) BOOST_REQUIRE(std::fabs(yp->value[18 + i] - y->value[i]) < 1e-5f);
}

BOOST_AUTO_TEST_SUITE_END()
