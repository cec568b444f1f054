// GRU4Rec (Hidasi et al., ICLR 2016) in the setting of the L2Aug paper (Appendix A.2): item
// embedding, one GRU layer of 100 units, dropout on its output (GRU4Rec_TensorFlow's
// output_keep_prob; model.dropout_at=input drops the item embeddings fed to the GRU instead, as
// RecBole's GRU4Rec), projected to the item-embedding width when the two differ, and scored
// against the shared item table. Every position predicts its next item.
#pragma once

#include <memory>

#include "nn/gru.h"
#include "recsys/models/recommender.h"

namespace l2::recsys {

class GRU4Rec : public SequentialRecommender {
 public:
  explicit GRU4Rec(const ModelConfig& config);
  Var hidden(const IndexTensor& items, const IndexTensor& positions) const override;
  // The modules' own initialisation; with model.gru_init=pytorch, the projection's bias is drawn
  // U(±1/sqrt(hidden)) as nn.Linear's default (the GRU draws its own part, nn::GRU::InitMode).
  void init_parameters(const nn::Init& init, const std::string& prefix = "") override;

 protected:
  // In evaluation (no dropout), the projection and mask apply to the last state only; in training
  // mode (where dropout draws would differ) the default.
  Tensor last_hidden(const IndexTensor& items, const IndexTensor& positions) const override;

 private:
  nn::GRU gru_;
  nn::Dropout dropout_;
  std::unique_ptr<nn::Linear> projection_;  // hidden -> dim, only when they differ
};

}  // namespace l2::recsys
