// Parameter-update kernels for the optimisers in nn/optim.h. Formulas follow PyTorch's
// torch.optim implementations so that our updates can be checked against it value for value.
#pragma once

#include <cstdint>

namespace l2::kernels {

// One Adam step (Kingma & Ba 2015) in PyTorch's arithmetic:
//   g' = g + wd*p                     (L2 weight decay, when not decoupled)
//   p  = p * (1 - lr*wd)              (decoupled weight decay, AdamW)
//   m  = b1*m + (1-b1)*g'             v = b2*v + (1-b2)*g'^2
//   p -= (lr / (1-b1^t)) * m / (sqrt(v) / sqrt(1-b2^t) + eps)
struct AdamStep {
  float lr = 1e-3f, beta1 = 0.9f, beta2 = 0.999f, eps = 1e-8f, weight_decay = 0.0f;
  bool decoupled = false;
  float bias1 = 1.0f, bias2 = 1.0f;  // 1 - beta1^t and 1 - beta2^t for this step
};
void adam_update(float* p, const float* g, float* m, float* v, std::int64_t n, const AdamStep& s);
void adam_update_ref(float* p, const float* g, float* m, float* v, std::int64_t n, const AdamStep& s);
// The same update applied to the listed rows of [R, C] matrices only (the lazy, row-sparse Adam).
void adam_update_rows(float* p, const float* g, float* m, float* v, const std::int32_t* rows, std::int64_t nrows,
                      std::int64_t C, const AdamStep& s);

// Adagrad (Duchi et al. 2011), PyTorch arithmetic: g' = g + wd*p; acc += g'^2; p -= lr * g' / (sqrt(acc) + eps)
void adagrad_update(float* p, const float* g, float* acc, std::int64_t n, float lr, float eps, float weight_decay);

// SGD with optional momentum (PyTorch): g' = g + wd*p; buf = mu*buf + g' (buf = g' on the first step); p -= lr*buf
void sgd_update(float* p, const float* g, float* buf, std::int64_t n, float lr, float momentum, float weight_decay,
                bool first_step);

}  // namespace l2::kernels
