// Finite-difference gradient checking (the test discipline of dlib's impl_test_layer and ggml's
// test-backend-ops): the analytic gradient of L = Σ R ⊙ f(inputs), R a fixed random tensor so that
// one backward checks every output, against central differences (L(x+h) - L(x-h)) / 2h computed
// in double from float32 forward passes. Before the backward every input's gradient is filled with
// a sentinel, so an op that overwrites (=) where it must accumulate (+=) fails the check.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "autograd/var.h"

namespace l2 {

struct GradcheckOptions {
  float eps = 1e-2f;       // finite-difference step (float32 forward: smaller steps drown in rounding)
  double rtol = 1e-2;      // pass when |analytic - numeric| <= atol + rtol * max(|analytic|, |numeric|)
  double atol = 1e-3;
  std::int64_t max_checks = 200;  // elements checked per input (a seeded sample when larger)
  std::uint64_t seed = 1;
};

struct GradcheckResult {
  bool ok = true;
  double worst = 0.0;  // largest |analytic - numeric| / (atol + rtol * scale)
  std::string report;  // the failures, one per line
};

// `inputs` become leaves requiring a gradient; `requires_grad[k] = false` makes input k a constant
// (checked to receive no gradient). f must be deterministic (fixed dropout seed and stream).
GradcheckResult gradcheck(const std::function<Var(const std::vector<Var>&)>& f, const std::vector<Tensor>& inputs,
                          const GradcheckOptions& options = {}, const std::vector<bool>& requires_grad = {});

// The same check for gradients with respect to existing leaves (a module's parameters): f() builds
// the output from them; each is perturbed in place and restored.
GradcheckResult gradcheck_leaves(const std::function<Var()>& f, const std::vector<Var>& leaves,
                                 const GradcheckOptions& options = {});

}  // namespace l2
