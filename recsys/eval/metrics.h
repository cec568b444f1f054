// Top-K metrics over all items (L2Aug paper, Section 5.1). For a user whose target has rank r
// (1-based; ties count against the target, tensor/kernels/topk.h):
//   HR@K = [r <= K]      NDCG@K = [r <= K] / log2(1 + r)
// (one relevant item, so the ideal DCG is 1), averaged over the users of a group.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace l2::recsys {

struct Metrics {
  std::vector<int> ks;            // the cut-offs, e.g. {5, 10}
  std::int64_t users = 0;
  std::vector<double> hr, ndcg;   // per cut-off, means over the users
  double mrr = 0.0;               // mean 1/r, for reference

  explicit Metrics(std::vector<int> cutoffs = {5, 10});
  void add(std::int64_t rank);    // accumulates one user (sums until finish())
  void finish();                  // turns the sums into means
  double hr_at(int k) const;
  double ndcg_at(int k) const;
  // "hr@10", "ndcg@5", "mrr"; throws naming the metric when it is not one of these.
  double value(const std::string& name) const;
  nlohmann::json to_json() const;
};

// Metrics per user group: casual, core, and all users together.
struct GroupMetrics {
  Metrics casual, core, all;
  explicit GroupMetrics(std::vector<int> cutoffs = {5, 10}) : casual(cutoffs), core(cutoffs), all(cutoffs) {}
  const Metrics& of(const std::string& group) const;  // "casual", "core", "all"
  nlohmann::json to_json() const;
};

// A plain-text table: one row per group (casual, core, all), HR@K and NDCG@K columns in percent.
std::string format_table(const GroupMetrics& m, const std::string& title);

}  // namespace l2::recsys
