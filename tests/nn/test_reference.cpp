// Our layers and optimisers against PyTorch on fixed inputs and weights (tests/nn/fixtures, written by
// bench/reference/make_nn_fixtures.py): outputs and every gradient.
#include "../common/fixture.h"
#include "nn/gru.h"
#include "nn/optim.h"
#include "nn_util.h"

using namespace l2;
using namespace l2::test;

BOOST_AUTO_TEST_SUITE(reference_suite)

BOOST_AUTO_TEST_CASE(gru_matches_pytorch) {
  auto ref = load_fixture("nn/fixtures/gru.txt");
  nn::GRU gru(5, 6);
  Var x = parameter(ref.at("x"));
  compare_with_reference("GRU", gru, ref, x, [&] { return gru.forward(x); });
}

BOOST_AUTO_TEST_CASE(optimiser_steps_match_pytorch) {
  auto ref = load_fixture("nn/fixtures/optimisers.txt");
  auto run = [&](const std::string& name, auto make) {
    Var p = parameter(ref.at("p0").clone());
    nn::NamedParams params = {{"p", p}};
    auto opt = make(params);
    for (const char* g : {"g1", "g2"}) {
      p->grad = ref.at(g).clone();
      p->grad_state = GradState::Dense;
      opt.step();
    }
    BOOST_TEST(max_rel_err(p->value.data(), ref.at(name).data(), p->value.numel()) < 1e-6, name);
  };
  run("adam", [](nn::NamedParams p) { return nn::Adam(p, {0.01f, 0.9f, 0.98f, 1e-8f, 0.0f, false, true}); });
  run("adam_l2", [](nn::NamedParams p) { return nn::Adam(p, {0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, false, true}); });
  run("adamw", [](nn::NamedParams p) { return nn::Adam(p, {0.01f, 0.9f, 0.999f, 1e-8f, 0.1f, true, true}); });
  run("adagrad", [](nn::NamedParams p) { return nn::Adagrad(p, {0.1f, 1e-10f, 0.1f, 0.0f}); });
  run("sgd", [](nn::NamedParams p) { return nn::SGD(p, {0.1f, 0.9f, 0.01f}); });
}

BOOST_AUTO_TEST_SUITE_END()
