// Shared by the autograd tests: run the finite-difference check and report its failures.
#pragma once

#include <boost/test/unit_test.hpp>

#include "../common/test_util.h"
#include "autograd/gradcheck.h"
#include "autograd/ops.h"

namespace l2::test {

inline void expect_gradients(const std::string& what, const std::function<Var(const std::vector<Var>&)>& f,
                             const std::vector<Tensor>& inputs, GradcheckOptions o = {},
                             const std::vector<bool>& requires_grad = {}) {
  const GradcheckResult r = gradcheck(f, inputs, o, requires_grad);
  BOOST_TEST(r.ok, what << ": gradient check failed (worst " << r.worst << ")\n" << r.report);
}

}  // namespace l2::test
