// Shared by the nn tests.
#pragma once

#include <boost/test/unit_test.hpp>

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

}  // namespace l2::test
