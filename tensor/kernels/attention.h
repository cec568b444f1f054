// Fused causal scaled dot-product attention with key-padding mask and dropout on the attention
// probabilities (the attention of SASRec, and of the L2Aug augmentor's state encoder, Eq. 3):
//   S = scale * Q K^T;  S[i, j] = MASK where key j is padding or j > i;  P = softmax_rows(S)
//   O = dropout(P) V
// for each of N = B*H (batch, head) slices of [T, D]. One slice is one task: its T x T scores live
// in a buffer of the task (they fit in cache: 160 KB for T = 200) and are never stored; the
// backward recomputes them from Q and K (as FlashAttention does) instead of keeping [B, H, T, T]
// tensors alive between the passes. The dropout mask of element (n, i, j) is the counter-based
// draw at index (n*T + i)*T + j of (seed, stream): the same mask the composed ops draw for the
// [B, H, T, T] probability tensor, so the fused op equals its composition (causal_attention_composed
// in autograd/ops_fused.cpp, compared in tests/autograd/test_ops_fused.cpp).
#pragma once

#include <cstdint>

namespace l2::kernels {

inline constexpr float kAttentionMask = -4294967295.0f;  // -2^32 + 1, the original SASRec's value

struct AttentionShape {
  std::int64_t N = 0, H = 1, T = 0, D = 0;  // N = B * H slices of [T, D]; slice n belongs to batch row n / H
  float scale = 1.0f;
  float dropout = 0.0f;
  std::uint64_t seed = 0, stream = 0;
};

// q, k, v, out: [N, T, D]; key_padding: [B, T] (1 = padding key), or nullptr for none.
void causal_attention_forward(float* out, const float* q, const float* k, const float* v,
                              const std::int32_t* key_padding, const AttentionShape& s);
// Accumulates into dq, dk, dv (any may be nullptr).
void causal_attention_backward(float* dq, float* dk, float* dv, const float* dout, const float* q, const float* k,
                               const float* v, const std::int32_t* key_padding, const AttentionShape& s);

}  // namespace l2::kernels
