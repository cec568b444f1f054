// Training and evaluation batches for the sequential recommenders (Section 3; the SASRec training
// scheme of docs/model-specs.md#sasrec). A training sequence s of length n >= 2 gives inputs s[0..n-2] and
// targets s[1..n-1] (the next item at every position), the last `maxlen` inputs kept, left-padded
// so the last input sits in column T-1. One negative per target, drawn uniformly from the items
// outside the user's training items. The sequences come from the caller (SequenceRef), because the
// L2Aug augmentor batches edited sequences as well as the original ones.
//
// Note [Bucketing]
// A batch is only as wide as its longest (truncated) input, T <= maxlen, and the epoch plan groups
// sequences of similar length, so padding work stays small. Nothing a position sees may change with
// that: positions hold the absolute slot of the original SASRec window, (maxlen - T) + column, so an
// item k steps before the end always has position maxlen-1-k; and the negative of a target is drawn
// from a generator keyed by (stream, user) and forked by the target's distance from the sequence
// end, so it is the same whether or not batches are bucketed, in whichever batch and row, and
// whatever the thread count (Note [Determinism] in tensor/parallel.h). What bucketing does change
// is the objective: the loss of a step is the mean over its batch's target positions and every step
// counts the same, so a position in a batch of short sequences weighs more than one in a batch of
// long ones (on Beauty, 201 to 3,656 positions per batch of 128, against ~724 in a random batch).
// For GRU4Rec on Beauty it cost 16% of test NDCG@10 (1.02 against 1.22 unbucketed and in its PyTorch
// twin, bench/RESULTS.md); train.bucketing=false batches at random, as the twin does.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "recsys/data/split.h"
#include "tensor/random.h"
#include "tensor/tensor.h"

namespace l2::recsys {

// One sequence to batch. The spans must outlive the batch building.
struct SequenceRef {
  std::span<const std::int32_t> items;    // oldest first, >= 2 items
  std::span<const std::int32_t> exclude;  // never drawn as negatives (the user's training items)
  std::int32_t user = 0;
  float weight = 1.0f;
};

// Where negatives come from: Generator(seed, stream).fork(user).fork(distance from the end).
// Give each use its own stream (e.g. one per epoch) so that epochs draw different negatives.
struct NegativeSampling {
  std::uint64_t seed = 0;
  std::uint64_t stream = 0;
  std::int32_t num_items = 0;  // negatives are drawn from 1..num_items
};

struct SequenceBatch {
  std::int64_t B = 0, T = 0, maxlen = 0;
  IndexTensor items;                // [B, T] inputs, left-padded, 0 = padding
  IndexTensor positions;            // [B, T] (maxlen - T) + column: the absolute slot of SASRec's maxlen window
  IndexTensor targets;              // [B, T] the next item, 0 = none (padding)
  IndexTensor negatives;            // [B, T] one negative per target, 0 where targets == 0
  std::vector<std::int32_t> rows;   // [B] index of each row's sequence in the caller's list
  std::vector<std::int32_t> users;  // [B]
  Tensor weights;                   // [B] per-sequence weights (1 unless the caller says otherwise)
};

// Builds the batch of sequences[rows[0]], sequences[rows[1]], ... . Rows are filled in parallel;
// the result does not depend on the thread count. Throws if a sequence has fewer than 2 items or
// if a user's excluded items leave no negative to draw.
SequenceBatch make_sequence_batch(std::span<const SequenceRef> sequences, std::span<const std::int32_t> rows,
                                  std::int64_t maxlen, const NegativeSampling& negatives);

// The input length each sequence contributes to a batch: min(n - 1, maxlen). For bucketing.
std::vector<std::int64_t> input_lengths(std::span<const SequenceRef> sequences, std::int64_t maxlen);

// The recommender's training sequences of a split: one per user with >= 2 items in
// train_sequence(u) (meta targets withheld), excluding the user's training items as negatives.
std::vector<SequenceRef> recommender_training_sequences(const Split& split);

// --- epoch plans: lists of rows, one list per batch ---
using BatchPlan = std::vector<std::vector<std::int32_t>>;
// Shuffles 0..n-1 and cuts it into batches of batch_size (the last may be smaller).
BatchPlan plan_unbucketed(std::int64_t n, std::int64_t batch_size, Generator& rng);
// Shuffles, sorts by length inside windows of `window_batches` batches (stable, so the shuffle
// decides ties), cuts batches, then shuffles the batch order. Deterministic for the generator state.
BatchPlan plan_bucketed(std::span<const std::int64_t> lengths, std::int64_t batch_size, Generator& rng,
                        std::int64_t window_batches = 16);

// Indices 0..n-1 of `lengths`, sorted by length (stable) and cut into buckets of similar length:
// a new bucket starts where adding the next row would leave under half of the bucket's positions
// real, if the bucket already has `min_rows` rows and `min_rows` rows remain for the next one
// (Note [Length buckets within a step] in recsys/train/step.h).
std::vector<std::vector<std::int32_t>> length_buckets(std::span<const std::int64_t> lengths, std::int64_t min_rows = 16);

// --- evaluation inputs ---
struct EvalCase {
  std::span<const std::int32_t> history;  // oldest first, >= 1 item
  std::int32_t target = 0;
  std::int32_t user = 0;
};
struct EvalBatch {
  std::int64_t B = 0, T = 0, maxlen = 0;
  IndexTensor items;                // [B, T] the last maxlen history items, left-padded, last item in column T-1
  IndexTensor positions;            // [B, T] (maxlen - T) + column, as in SequenceBatch
  IndexTensor targets;              // [B]
  std::vector<std::int32_t> users;  // [B]
};
EvalBatch make_eval_batch(std::span<const EvalCase> cases, std::int64_t maxlen);
// Indices of `cases` sorted by min(history length, maxlen), stable: scored in this order, blocks of
// consecutive cases are as narrow as their longest history. Real histories are mostly short (on
// Amazon Beauty blocks in data order are 15% real positions), and a case's scores do not depend
// on the block it is in (Note [Bucketing]).
std::vector<std::size_t> length_order(std::span<const EvalCase> cases, std::int64_t maxlen);

// The evaluation cases of a split, ascending user ids; `group` limits them to one group.
enum class EvalSet { validation, test, meta };
std::vector<EvalCase> eval_cases(const Split& split, EvalSet set);
std::vector<EvalCase> eval_cases(const Split& split, EvalSet set, Group group);

}  // namespace l2::recsys
