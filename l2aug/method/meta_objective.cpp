#include "l2aug/method/meta_objective.h"

#include <algorithm>
#include <cmath>

#include "recsys/eval/metrics.h"
#include "tensor/check.h"
#include "tensor/kernels/softmax.h"
#include "tensor/kernels/topk.h"
#include "tensor/parallel.h"

namespace l2::method {

namespace {
constexpr MetaObjective kAll[] = {MetaObjective::hr,  MetaObjective::ndcg,      MetaObjective::hr_ndcg,
                                  MetaObjective::mrr, MetaObjective::ndcg_full, MetaObjective::loglik};
}

const char* meta_objective_name(MetaObjective o) {
  switch (o) {
    case MetaObjective::hr: return "hr";
    case MetaObjective::ndcg: return "ndcg";
    case MetaObjective::hr_ndcg: return "hr+ndcg";
    case MetaObjective::mrr: return "mrr";
    case MetaObjective::ndcg_full: return "ndcg_full";
    case MetaObjective::loglik: return "loglik";
  }
  return "?";
}

std::vector<std::string> meta_objective_names() {
  std::vector<std::string> names;
  for (MetaObjective o : kAll) names.emplace_back(meta_objective_name(o));
  return names;
}

MetaObjective parse_meta_objective(const std::string& name) {
  for (MetaObjective o : kAll)
    if (name == meta_objective_name(o)) return o;
  L2_FAIL("unknown reward metric '" << name << "' (known: hr, ndcg, hr+ndcg, mrr, ndcg_full, loglik)");
}

MetaScores score_meta(const recsys::SequentialRecommender& model, std::span<const recsys::EvalCase> cases,
                      std::int32_t num_items, const recsys::EvalOptions& options, bool with_likelihood) {
  MetaScores out;
  out.ranks.assign(cases.size(), 0);
  out.log_likelihood.assign(cases.size(), 0.0);
  const std::int64_t V = num_items;
  for_each_meta_block(cases, options, [&](std::span<const size_t> indices, std::span<const recsys::EvalCase> block,
                                          const recsys::EvalBatch& batch) {
    Tensor s = model.score_all_last(batch.items, batch.positions);  // [B, V + 1], column 0 is padding
    parallel_for(batch.B, 1, [&](std::int64_t b0, std::int64_t b1) {
      std::vector<float> shifted(static_cast<size_t>(V));
      for (std::int64_t b = b0; b < b1; ++b) {
        const recsys::EvalCase& ec = block[size_t(b)];
        const size_t index = indices[size_t(b)];
        float* row = s.data() + b * (V + 1);
        if (options.exclude_history)
          for (std::int32_t i : ec.history)
            if (i != ec.target) row[i] = -INFINITY;
        ++row;  // items 1..V
        const std::int32_t target = ec.target;
        out.ranks[index] = kernels::rank_of_target(row, V, target - 1);
        if (!with_likelihood) continue;
        // log softmax(row)[t] = row[t] - m - log sum_c exp(row[c] - m), m = max_c row[c]
        float m = row[0];
        for (std::int64_t c = 1; c < V; ++c) m = std::max(m, row[c]);
        const double sum = double(kernels::exp_shifted(shifted.data(), row, m, V));
        out.log_likelihood[index] = double(row[target - 1]) - double(m) - std::log(sum);
      }
    });
  });
  return out;
}

void for_each_meta_block(std::span<const recsys::EvalCase> cases, const recsys::EvalOptions& options,
                         const std::function<void(std::span<const size_t> indices, std::span<const recsys::EvalCase> block,
                                                  const recsys::EvalBatch& batch)>& f) {
  const std::vector<size_t> order = recsys::length_order(cases, options.maxlen);
  for (size_t begin = 0; begin < cases.size(); begin += size_t(options.block)) {
    const size_t end = std::min(cases.size(), begin + size_t(options.block));
    std::vector<recsys::EvalCase> block;
    for (size_t k = begin; k < end; ++k) block.push_back(cases[order[k]]);
    f(std::span<const size_t>(order).subspan(begin, end - begin), block, recsys::make_eval_batch(block, options.maxlen));
  }
}

double meta_value(MetaObjective o, int k, const MetaScores& s) {
  L2_CHECK(!s.ranks.empty(), "meta objective of an empty meta set");
  if (o == MetaObjective::loglik) {
    double sum = 0.0;
    for (double l : s.log_likelihood) sum += l;
    return sum / double(s.log_likelihood.size());
  }
  if (o == MetaObjective::ndcg_full) {
    double sum = 0.0;
    for (std::int64_t r : s.ranks) sum += 1.0 / std::log2(1.0 + double(r));
    return sum / double(s.ranks.size());
  }
  recsys::Metrics m({k});
  for (std::int64_t r : s.ranks) m.add(r);
  m.finish();
  switch (o) {
    case MetaObjective::hr: return m.hr_at(k);
    case MetaObjective::ndcg: return m.ndcg_at(k);
    case MetaObjective::hr_ndcg: return m.hr_at(k) + m.ndcg_at(k);
    default: return m.mrr;
  }
}

}  // namespace l2::method
