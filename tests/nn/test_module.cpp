#include "nn/layers.h"
#include "nn_util.h"

using namespace l2;
using namespace l2::test;

namespace {
struct Tiny : nn::Module {
  nn::Embedding emb{10, 4, 0};
  nn::Linear a{4, 3}, b{3, 2, false};
  Tiny() {
    register_module("emb", emb);
    register_module("a", a);
    register_module("b", b);
  }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(module_suite)

BOOST_AUTO_TEST_CASE(named_parameters_are_dotted_and_ordered) {
  Tiny t;
  std::vector<std::string> names;
  for (auto& [n, v] : t.named_parameters()) names.push_back(n);
  BOOST_TEST((names == std::vector<std::string>{"emb.weight", "a.weight", "a.bias", "b.weight"}));
  BOOST_TEST(t.parameter_count() == 40 + 12 + 3 + 6);
}

BOOST_AUTO_TEST_CASE(train_eval_and_zero_grad_reach_submodules) {
  Tiny t;
  t.eval();
  BOOST_TEST(!t.a.training());
  t.train();
  BOOST_TEST(t.b.training());
  backward(sum(t.a.forward(t.emb.forward(IndexTensor::from(Shape{2}, {1, 2})))));
  BOOST_TEST((t.a.weight()->grad_state == GradState::Dense));
  t.zero_grad();
  BOOST_TEST((t.a.weight()->grad_state == GradState::None));
  BOOST_TEST(t.a.weight()->grad[0] == 0.0f);
}

BOOST_AUTO_TEST_CASE(init_is_seeded_per_name_and_keeps_the_padding_row_zero) {
  Tiny t1, t2, t3;
  t1.init_parameters(test_init(1));
  t2.init_parameters(test_init(1));
  t3.init_parameters(test_init(2));
  BOOST_TEST(t1.a.weight()->value.to_vector() == t2.a.weight()->value.to_vector());
  BOOST_TEST(t1.a.weight()->value.to_vector() != t3.a.weight()->value.to_vector());
  BOOST_TEST(t1.a.weight()->value.to_vector() != t1.b.weight()->value.to_vector());
  for (int c = 0; c < 4; ++c) BOOST_TEST(t1.emb.weight()->value[c] == 0.0f);
  BOOST_TEST(t1.a.bias()->value[0] == 0.0f);
  // Glorot bound for a [4, 3] matrix.
  for (float w : t1.a.weight()->value.to_vector()) BOOST_TEST(std::fabs(w) <= std::sqrt(6.0f / 7.0f));
}

BOOST_AUTO_TEST_CASE(load_state_dict_names_the_mismatch) {
  Tiny t;
  auto state = t.state_dict();
  state["a.weight"] = Tensor::zeros(Shape{5, 3});
  try {
    t.load_state_dict(state);
    BOOST_FAIL("a wrong shape was accepted");
  } catch (const Error& e) {
    const std::string m = e.what();
    BOOST_TEST(m.find("a.weight") != std::string::npos);
    BOOST_TEST(m.find("[5, 3]") != std::string::npos);
    BOOST_TEST(m.find("[4, 3]") != std::string::npos);
  }
  state = t.state_dict();
  state.erase("b.weight");
  BOOST_CHECK_THROW(t.load_state_dict(state), Error);
  state = t.state_dict();
  state["c.weight"] = Tensor::zeros(Shape{1});
  BOOST_CHECK_THROW(t.load_state_dict(state), Error);
}

BOOST_AUTO_TEST_SUITE_END()
