// The recurrence of a GRU layer over a whole sequence, fused (PyTorch's gate arithmetic, gates in
// the order r, z, n; see nn/gru.h):
//   gh = h W + b                      r = σ(gi_r + gh_r)    z = σ(gi_z + gh_z)
//   n = tanh(gi_n + r * gh_n)         h' = n + z * (h - n)  (= (1 - z) n + z h)
//   h_t = h' at real steps, h_{t-1} at padding steps (mask 0); h_0 = 0.
// gi = x W_ih + b_ih is computed beforehand for all steps in one GEMM (autograd's gru op). The
// composition gru_composed beside that op (autograd/ops_fused.cpp) is the reference it is tested against.
#pragma once

#include <cstdint>

namespace l2::kernels {

struct GruShape {
  std::int64_t B = 0, T = 0, H = 0;
};

// gi: [B, T, 3H]; w: [H, 3H]; b: [3H]; mask: [B, T] or nullptr (all steps real).
// out: [B, T, H] the state after each step; cache: [T, B, 4H] (r, z, n, gh_n) for the backward, or
// nullptr when there will be no backward (evaluation).
void gru_forward(float* out, float* cache, const float* gi, const float* w, const float* b, const float* mask,
                 const GruShape& s);
// Backpropagation through time: writes dgi [B, T, 3H] (required: the gradient of the input
// projections, overwritten) and accumulates into dw [H, 3H] and db [3H] (either may be nullptr).
void gru_backward(float* dgi, float* dw, float* db, const float* dout, const float* out, const float* cache,
                  const float* w, const float* mask, const GruShape& s);

}  // namespace l2::kernels
