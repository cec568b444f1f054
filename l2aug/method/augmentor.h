// The data augmentor of L2Aug (Section 4.2): a policy that reads a core user's sequence and
// decides, item by item, how to edit it.
//   state (Eq. 3)   e_k = i_k + p_k;  h_k = sum_{j<=k} softmax_j(W_Q e_k . W_K e_j / sqrt(D)) W_V e_j
//   policy (Eq. 4)  pi(.|h_k) = softmax(W_A h_k) over the action set
// Note [Policy residual]: by default the state also carries the item itself, h_k + e_k (the
// residual connection of every transformer layer). In Eq. 3 alone, h_k is an attention-weighted
// mix of the items so far, in which the item being decided on can be drowned out; with the
// residual a decision can depend on the item directly. `residual = false` gives Eq. 3 exactly.
// The item and position tables are the augmentor's own (it is model-agnostic: it never reads the
// recommender's weights). Positions count from the start of the sequence (position k of S[1:k]).
//
// Actions (Section 4.1, 5.3.1; the action set is a list the user chooses, keep+drop by default):
//   keep        the item stays
//   drop        the item is removed
//   substitute  the item is replaced by its most correlated item (l2aug/method/correlation.h); kept if it has none
//   insert      the item stays and its most correlated item is inserted after it
//   reorder     the item moves one place later (swapped with the item that follows it in the result)
// Note [Minimum length]: an augmented sequence must still yield a training target, so it keeps at
// least 2 items: when the sampled actions would leave fewer, the most recent dropped items are
// restored (latest first) until 2 remain. The recorded actions stay the sampled ones: the rule is
// part of the environment, so the policy gradient remains that of the actions taken.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "l2aug/method/correlation.h"
#include "nn/layers.h"

namespace l2::method {

enum class Action : std::int32_t { keep = 0, drop, substitute, insert, reorder };
const char* action_name(Action a);
Action parse_action(const std::string& name);                   // throws naming the known actions
std::vector<Action> parse_actions(const std::string& comma_list);  // "keep,drop,substitute"
std::string actions_text(const std::vector<Action>& actions);      // the list parse_actions reads

struct AugmentorConfig {
  std::vector<Action> actions = {Action::keep, Action::drop};
  std::int64_t dim = 64;      // D, the state width (the paper does not give it)
  std::int64_t maxlen = 200;  // the longest prefix the state encoder reads (the recommender's)
  bool residual = true;       // Note [Policy residual]
  std::uint64_t seed = 1;
};

// A batch of sequences laid out for the policy: left-padded, positions counted from each
// sequence's start; the last `maxlen` items of a longer sequence are the ones it decides on.
struct PolicyBatch {
  std::int64_t B = 0, T = 0;
  IndexTensor items, positions;           // [B, T]
  IndexTensor padding;                    // [B, T] 1 at padding
  std::vector<std::int64_t> offset;       // per row: index in the sequence of column (T - n_b)
  std::vector<std::int64_t> length;       // per row: items decided on (<= maxlen)
};

class Augmentor : public nn::Module {
 public:
  Augmentor(const AugmentorConfig& config, std::int32_t num_items);
  const AugmentorConfig& config() const { return config_; }
  std::int64_t num_actions() const { return std::int64_t(config_.actions.size()); }

  PolicyBatch make_batch(std::span<const std::span<const std::int32_t>> sequences) const;
  // Action logits per position, [B, T, A] (padding rows meaningless).
  Var logits(const PolicyBatch& batch) const;
  void reset_parameters();

 private:
  AugmentorConfig config_;
  nn::Embedding items_, positions_;
  nn::Linear wq_, wk_, wv_, wa_;
};

// One augmented sequence: the result and the action sampled for each original item (indices into
// the configured action list; items before the policy window are kept and have no entry).
struct Augmented {
  std::vector<std::int32_t> items;
  std::vector<std::int32_t> actions;  // per decided item, oldest first
  std::int64_t first_decided = 0;     // index in the original sequence of actions[0]
};

// Applies actions (indices into `action_set`) to the decided tail of `sequence`, with the
// minimum-length rule. `correlation` is needed for substitute and insert.
Augmented apply_actions(std::span<const std::int32_t> sequence, std::int64_t first_decided,
                        std::span<const std::int32_t> actions, std::span<const Action> action_set,
                        const ItemCorrelation* correlation);

}  // namespace l2::method
