// The interface every sequential recommender implements (Section 3, Eq. 1): from a batch of
// left-padded item sequences, a hidden state per position; a candidate item's score at a position
// is the dot product of that state with the item's row of the one item table that is shared by
// input and output in all three models (the paper's setting).
#pragma once

#include <memory>

#include "nn/layers.h"
#include "recsys/models/model_config.h"

namespace l2::recsys {

class SequentialRecommender : public nn::Module {
 public:
  explicit SequentialRecommender(const ModelConfig& config);

  const ModelConfig& config() const { return config_; }
  const nn::Embedding& item_table() const { return items_; }
  // The generator that every dropout layer of the model draws its streams from (checkpointed).
  Generator& dropout_rng() { return *rng_; }

  // items, positions: [B, T], left-padded (0 = padding), positions as in recsys/data/batch.h.
  // Returns the hidden state at every position, [B, T, dim]; padding rows are zero.
  virtual Var hidden(const IndexTensor& items, const IndexTensor& positions) const = 0;

  // Logits of the given candidates at every position: [B, T], h[b, t] . E[candidates[b, t]].
  Var score(const Var& h, const IndexTensor& candidates) const;

  // Scores of every item at the last position (column T-1), without recording a graph:
  // [B, V + 1], column i for item i (column 0, the padding id, is not a candidate).
  Tensor score_all_last(const IndexTensor& items, const IndexTensor& positions) const;

  // Draws all parameters from config().init with config().seed (padding rows zero).
  void reset_parameters();

 protected:
  // The hidden state at the last position only (column T-1), [B, dim], for score_all_last (no
  // graph is recorded). The default is the last column of hidden(); a model overrides it when the
  // last column needs less work than all of them, and must return the same values.
  virtual Tensor last_hidden(const IndexTensor& items, const IndexTensor& positions) const;

  // 1 at real positions, 0 at padding: [B, T] as float (for products) and as padding flags.
  static Tensor real_mask(const IndexTensor& items);
  static IndexTensor padding_flags(const IndexTensor& items);

  ModelConfig config_;
  std::shared_ptr<Generator> rng_;
  nn::Embedding items_;
};

// Builds the model the configuration names, initialised.
std::unique_ptr<SequentialRecommender> make_model(const ModelConfig& config);

}  // namespace l2::recsys
