// Loss kernels. Binary cross-entropy with logits is the loss of the L2Aug paper's Eq. (2): the
// positive item and one sampled negative per position, each scored by a logit z.
#pragma once

#include <cstdint>

namespace l2::kernels {

// y = softplus(z) - t*z = max(z, 0) - t*z + log(1 + e^-|z|)   (stable for any z)
void bce_with_logits_forward(float* y, const float* z, const float* t, std::int64_t n);
void bce_with_logits_forward_ref(float* y, const float* z, const float* t, std::int64_t n);
// dz += dy * (sigmoid(z) - t)
void bce_with_logits_backward(float* dz, const float* dy, const float* z, const float* t, std::int64_t n);

// Rows of logits z: [N, K], targets t: [N] in [0, K). logp: [N, K] receives log_softmax(z) (kept
// for the backward), y: [N] the losses -logp[n, t_n].
void cross_entropy_forward(float* y, float* logp, const float* z, const std::int32_t* t, std::int64_t N, std::int64_t K);
// dz[n] += dy[n] * (exp(logp[n]) - onehot(t_n))
void cross_entropy_backward(float* dz, const float* dy, const float* logp, const std::int32_t* t, std::int64_t N,
                            std::int64_t K);

}  // namespace l2::kernels
