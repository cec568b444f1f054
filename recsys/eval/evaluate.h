// Full-ranking evaluation (Section 5.1): every real item is a candidate, the history included
// unless asked otherwise, and the target's rank decides HR@K and NDCG@K. The sampled protocol of
// the original SASRec code (the target against 100 items the user never interacted with) is
// available behind an option and named in every output: the two are not comparable
// (docs/model-specs.md#evaluation).
//
// Users are scored in blocks, so at most block x (V + 1) scores exist at once; blocks run one
// after the other and each is computed with the deterministic kernels, so results do not depend
// on the thread count.
#pragma once

#include <functional>
#include <string>

#include "recsys/data/batch.h"
#include "recsys/eval/metrics.h"

namespace l2::recsys {

// Scores of every item for each case of a batch: [B, V + 1], column i for item i.
using ScoreFn = std::function<Tensor(const EvalBatch&)>;

struct EvalOptions {
  std::vector<int> ks = {5, 10};
  bool exclude_history = false;  // history items other than the target cannot be recommended
  bool sampled = false;          // rank among the target + `negatives` sampled items instead of all
  std::int64_t negatives = 100;
  std::uint64_t seed = 1;        // sampled negatives
  std::int64_t block = 256;      // users scored at once
  std::int64_t maxlen = 200;     // history items fed to the model
  std::string protocol_name() const;  // "full" or "sampled-100", with "-excl-history" when set
};

struct EvalResult {
  std::string set;       // "validation", "test", "meta"
  std::string protocol;  // EvalOptions::protocol_name()
  GroupMetrics metrics;
  std::vector<std::int32_t> users;  // in the order of `ranks`
  std::vector<std::int64_t> ranks;
  nlohmann::json to_json() const;
};

EvalResult evaluate(const ScoreFn& score, const Split& split, EvalSet set, const EvalOptions& options);

// Ranks of given cases (any list; the L2Aug reward evaluates the meta-validation cases). The
// sampled protocol draws its negatives among the items of `data` the user never interacted with
// (anywhere in the dataset); without `data` it avoids the case's history and target.
std::vector<std::int64_t> rank_cases(const ScoreFn& score, std::span<const EvalCase> cases, std::int32_t num_items,
                                     const EvalOptions& options, const Dataset* data = nullptr);

const char* eval_set_name(EvalSet s);

}  // namespace l2::recsys
