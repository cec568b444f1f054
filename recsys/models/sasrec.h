// SASRec (Kang & McAuley, ICDM 2018) as the original TF code builds it (docs/model-specs.md#sasrec):
//   x = Dropout(E[s] * sqrt(d) + P[pos]) * mask
//   x = SASRecBlock(x) for each of `blocks` blocks   (recsys/models/sasrec_block.h)
//   h = LN_final(x)
// with learned positions 0..maxlen-1 of the left-padded window (the last item always at
// maxlen-1), 2 blocks and 1 head (the L2Aug paper's setting), and the item table E scoring the
// output unscaled.
#pragma once

#include "recsys/models/sasrec_block.h"
#include "recsys/models/recommender.h"

namespace l2::recsys {

class SASRec : public SequentialRecommender {
 public:
  explicit SASRec(const ModelConfig& config);
  Var hidden(const IndexTensor& items, const IndexTensor& positions) const override;

 protected:
  // In evaluation the last block runs for the last query only (its keys and values still span
  // every position); in training mode, where dropout draws would differ, the default.
  Tensor last_hidden(const IndexTensor& items, const IndexTensor& positions) const override;

 private:
  nn::Embedding positions_;
  nn::Dropout emb_dropout_;
  std::vector<std::unique_ptr<SASRecBlock>> blocks_;
  nn::LayerNorm final_ln_;
};

}  // namespace l2::recsys
