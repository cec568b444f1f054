#include "recsys/eval/evaluate.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "tensor/kernels/topk.h"
#include "tensor/parallel.h"

namespace l2::recsys {

const char* eval_set_name(EvalSet s) {
  switch (s) {
    case EvalSet::validation: return "validation";
    case EvalSet::test: return "test";
    case EvalSet::meta: return "meta";
  }
  return "?";
}

std::string EvalOptions::protocol_name() const {
  std::string p = sampled ? "sampled-" + std::to_string(negatives) : "full";
  if (exclude_history) p += "-excl-history";
  return p;
}

nlohmann::json EvalResult::to_json() const {
  return {{"set", set}, {"protocol", protocol}, {"metrics", metrics.to_json()}};
}

std::vector<std::int64_t> rank_cases(const ScoreFn& score, std::span<const EvalCase> cases, std::int32_t num_items,
                                     const EvalOptions& o, const Dataset* data) {
  std::vector<std::int64_t> ranks(cases.size(), 0);
  const std::int64_t V = num_items;
  const std::vector<size_t> order = length_order(cases, o.maxlen);
  for (size_t begin = 0; begin < cases.size(); begin += size_t(o.block)) {
    const size_t end = std::min(cases.size(), begin + size_t(o.block));
    std::vector<EvalCase> block;
    for (size_t k = begin; k < end; ++k) block.push_back(cases[order[k]]);
    const EvalBatch batch = make_eval_batch(block, o.maxlen);
    Tensor s = score(batch);
    L2_CHECK(s.ndim() == 2 && s.dim(0) == batch.B && s.dim(1) == V + 1,
             "evaluate: the scorer returned " << s.shape() << ", expected [" << batch.B << ", " << V + 1 << "]");
    parallel_for(batch.B, 1, [&](std::int64_t b0, std::int64_t b1) {
      for (std::int64_t b = b0; b < b1; ++b) {
        const EvalCase& c = block[size_t(b)];
        std::int64_t& rank = ranks[order[begin + size_t(b)]];
        float* row = s.data() + b * (V + 1);
        if (o.exclude_history)
          for (std::int32_t i : c.history)
            if (i != c.target) row[i] = -INFINITY;
        if (!o.sampled) {
          rank = kernels::rank_of_target(row + 1, V, c.target - 1);  // items 1..V
          continue;
        }
        // Sampled: the target against `negatives` distinct items the user never interacted with.
        std::unordered_set<std::int32_t> seen(c.history.begin(), c.history.end());
        if (data)
          for (std::int32_t i : data->items_of(c.user)) seen.insert(i);
        seen.insert(c.target);
        Generator g = Generator(o.seed, 0x5A).fork(std::uint64_t(c.user));
        std::vector<float> cand = {row[c.target]};
        std::unordered_set<std::int32_t> drawn;
        const std::int64_t available = V - std::int64_t(seen.size());
        const std::int64_t n = std::min<std::int64_t>(o.negatives, std::max<std::int64_t>(0, available));
        while (std::int64_t(drawn.size()) < n) {
          const auto i = std::int32_t(g.integer(1, V + 1));
          if (!seen.count(i) && drawn.insert(i).second) cand.push_back(row[i]);
        }
        rank = kernels::rank_of_target(cand.data(), std::int64_t(cand.size()), 0);
      }
    });
  }
  return ranks;
}

EvalResult evaluate(const ScoreFn& score, const Split& split, EvalSet set, const EvalOptions& o) {
  const std::vector<EvalCase> cases = eval_cases(split, set);
  EvalResult r;
  r.set = eval_set_name(set);
  r.protocol = o.protocol_name();
  r.metrics = GroupMetrics(o.ks);
  r.ranks = rank_cases(score, cases, split.num_items(), o, &split.dataset());
  for (size_t i = 0; i < cases.size(); ++i) {
    r.users.push_back(cases[i].user);
    (split.group(cases[i].user) == Group::core ? r.metrics.core : r.metrics.casual).add(r.ranks[i]);
    r.metrics.all.add(r.ranks[i]);
  }
  r.metrics.casual.finish();
  r.metrics.core.finish();
  r.metrics.all.finish();
  return r;
}

}  // namespace l2::recsys
