// Shared by the nn tests.
#pragma once

#include <boost/test/unit_test.hpp>
#include <functional>
#include <map>
#include <string>

#include "../autograd/gradcheck_util.h"
#include "nn/module.h"

namespace l2::test {

// Gradient check of f() with respect to every parameter of m (and any extra leaves).
inline void expect_param_gradients(const std::string& what, const nn::Module& m, const std::function<Var()>& f,
                                   std::vector<Var> extra = {}, GradcheckOptions o = {}) {
  std::vector<Var> leaves = m.parameters();
  leaves.insert(leaves.end(), extra.begin(), extra.end());
  const GradcheckResult r = gradcheck_leaves(f, leaves, o);
  BOOST_TEST(r.ok, what << ": gradient check failed (worst " << r.worst << ")\n" << r.report);
}

inline nn::Init test_init(std::uint64_t seed = 3) {
  nn::Init init;
  init.scheme = nn::Init::XavierUniform;
  init.seed = seed;
  return init;
}

// Loads the fixture's parameter values into m (the names match), runs f, backpropagates Σ y ⊙ R and
// compares y and the gradients with the reference (written by bench/reference/make_nn_fixtures.py).
inline void compare_with_reference(const std::string& what, nn::Module& m, const std::map<std::string, Tensor>& ref,
                                   const Var& x, const std::function<Var()>& f, double tol = 2e-5) {
  std::map<std::string, Tensor> state;
  for (auto& [name, v] : m.named_parameters()) state[name] = ref.at(name);
  m.load_state_dict(state);
  Var y = f();
  BOOST_TEST(max_rel_err(y->value.data(), ref.at("y").data(), y->value.numel()) < tol, what << ": output");
  backward(y, ref.at("R"));
  BOOST_TEST(max_rel_err(x->grad.data(), ref.at("grad.x").data(), x->grad.numel()) < tol, what << ": input gradient");
  for (auto& [name, v] : m.named_parameters())
    BOOST_TEST(max_rel_err(v->grad.data(), ref.at("grad." + name).data(), v->grad.numel()) < tol,
               what << ": gradient of " << name);
}

}  // namespace l2::test
