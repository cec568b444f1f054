// NextItNet (Yuan et al., WSDM 2019) as the authors' code builds it (docs/model-specs.md#nextitnet): item
// embedding, a stack of residual blocks of two dilated causal convolutions each with layer norm
// and ReLU (recsys/models/nextitnet_block.h), dilations [1,2,1,2,1,2,1,2] and kernel 3 by default, every
// position predicting its next item, scored against the shared item table (the L2Aug paper's
// setting, instead of the original's separate softmax layer).
// Beyond the original, which has no dropout (and so the default rate is 0): `dropout` > 0 drops
// the item embeddings entering the stack and the hidden states leaving it, as GRU4Rec does with its
// output. It exists because the unregularised model overfits short-sequence data such as Amazon
// Beauty within a few epochs (bench/RESULTS.md, quality bars).
#pragma once

#include <memory>

#include "nn/layers.h"
#include "recsys/models/nextitnet_block.h"
#include "recsys/models/recommender.h"

namespace l2::recsys {

class NextItNet : public SequentialRecommender {
 public:
  explicit NextItNet(const ModelConfig& config);
  Var hidden(const IndexTensor& items, const IndexTensor& positions) const override;

 protected:
  // Runs each block on the shortest suffix of the sequence its successors read
  // (Note [NextItNet's last-position window]).
  Tensor last_hidden(const IndexTensor& items, const IndexTensor& positions) const override;

 private:
  std::vector<std::unique_ptr<NextItNetBlock>> blocks_;
  nn::Dropout dropout_;
};

}  // namespace l2::recsys
