// Item embeddings for the simulator's states and actions and for the agents' inputs, learned by our
// engine from the training interactions, the way the egipcy LIRD reimplementation learns them
// (docs/model-specs.md#lird-simulator-and-dqn): a one-hidden-layer network reads the bag of a user's other training
// items and predicts one held-out item of them,
//   h = (1/|bag|) Σ_{j in bag} W[j] + b        (the first Dense over a multi-hot input, averaged)
//   p(i | bag) = softmax(dropout(h) U + c)_i   (the second Dense, softmax over the items)
// trained by cross-entropy with Adam; the embedding of item i is the hidden layer for the bag {i},
// e_i = W[i] + b. Items that co-occur in users' histories get nearby embeddings.
// Deviations from egipcy: the bag is averaged rather than summed (a bag of 500 items and a bag of
// one item then share one scale, and e_i is exactly what a one-item bag gives), a bag longer than
// `max_bag` is a uniform sample of that many items (its mean is an unbiased estimate of the whole
// bag's, at a fraction of the cost), D = 32 rather than 100 (the simulator's cost is linear in D),
// and a few thousand batches rather than 300 x 10,000 samples. Finally all embeddings are scaled by one constant so that every component lies in
// [-1, 1], the range of the LIRD actor's tanh output; a common scale changes no cosine of Eq. 1.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "tensor/tensor.h"

namespace l2::online {

struct EmbeddingConfig {
  std::int64_t dim = 32;
  std::int64_t steps = 2000;   // batches
  std::int64_t batch = 128;    // held-out items per batch
  float lr = 1e-3f;            // Adam (Keras default, as egipcy)
  float dropout = 0.2f;        // egipcy
  std::int64_t max_bag = 64;   // a longer bag is a uniform sample of this many of the other items
  std::uint64_t seed = 1;
};

struct EmbeddingReport {
  double first_loss = 0.0, last_loss = 0.0;  // mean cross-entropy over the first and the last 100 batches
  double seconds = 0.0;
};

// sequences: the training items of each user (ids 1..num_items); users with fewer than 2 items are
// skipped. Returns [num_items + 1, dim], row 0 (the padding item) zero.
Tensor train_item_embeddings(std::span<const std::span<const std::int32_t>> sequences, std::int32_t num_items,
                             const EmbeddingConfig& config, EmbeddingReport* report = nullptr);

}  // namespace l2::online
