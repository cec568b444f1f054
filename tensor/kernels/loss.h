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

// The sampled next-item loss of Eq. (2), fused: for rows n of h [N, C] with a positive id p_n and
// a negative id q_n into the item table E [V, C] and a weight w_n (0 = no target),
//   z+ = h_n . E[p_n],  z- = h_n . E[q_n],  loss = (1/denom) sum_n w_n [softplus(-z+) + softplus(z-)]
// Forward returns the loss and writes the per-row gradient factors of the backward:
//   gpos[n] = w_n (σ(z+) - 1) / denom,  gneg[n] = w_n σ(z-) / denom.
double sampled_bce_forward(float* gpos, float* gneg, const float* h, const float* table, const std::int32_t* pos,
                           const std::int32_t* neg, const float* w, std::int64_t N, std::int64_t C, double denom);
// dh[n] += dy (gpos[n] E[p_n] + gneg[n] E[q_n]); the table rows' gradient goes through
// sampled_bce_table_rows: rows[2n] = dy gpos[n] h_n, rows[2n+1] = dy gneg[n] h_n, for a scatter-add by
// ids [p_0, q_0, p_1, q_1, ...].
void sampled_bce_backward_h(float* dh, const float* gpos, const float* gneg, float dy, const float* table,
                            const std::int32_t* pos, const std::int32_t* neg, std::int64_t N, std::int64_t C);
void sampled_bce_table_rows(float* rows, const float* gpos, const float* gneg, float dy, const float* h, std::int64_t N,
                            std::int64_t C);

}  // namespace l2::kernels
