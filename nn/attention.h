// Causal multi-head self-attention as the SASRec block uses it (Kang & McAuley 2018; the original
// TF code, docs/model-specs.md#sasrec): queries from one input, keys and values from another,
//   scores = Q K^T / sqrt(D)   (D = dim / heads)
// with padding keys and future keys masked to -2^32+1 before the softmax (the original's value),
// dropout on the attention probabilities, and an optional output projection (the original
// SASRec has none; transformer layers elsewhere do).
#pragma once

#include <memory>

#include "nn/layers.h"

namespace l2::nn {

class CausalSelfAttention : public Module {
 public:
  struct Options {
    std::int64_t dim = 64;
    std::int64_t heads = 1;
    float dropout = 0.0f;
    bool output_projection = false;
  };
  CausalSelfAttention(const Options& options, std::shared_ptr<Generator> rng);

  // q_in, kv_in: [B, T, dim]; key_padding: [B, T], 1 where the key slot is padding. Returns [B, T, dim].
  // Runs the fused causal_attention op (autograd/ops.h, tested against its composition there).
  Var forward(const Var& q_in, const Var& kv_in, const IndexTensor& key_padding) const;
  // The output at the last query position only, [B, 1, dim], from q_last: [B, 1, dim] (the last row
  // of q_in) and all of kv_in: the last query sees every key but the padding ones (evaluation's
  // shortcut; composed from primitive ops, dropout included).
  Var forward_last(const Var& q_last, const Var& kv_in, const IndexTensor& key_padding) const;

 private:
  Options o_;
  Linear q_, k_, v_;
  std::unique_ptr<Linear> out_;
  Dropout drop_;
};

}  // namespace l2::nn
