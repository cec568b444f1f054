#include "recsys/eval/metrics.h"

#include <cmath>
#include <cstdio>

#include "tensor/check.h"

namespace l2::recsys {

Metrics::Metrics(std::vector<int> cutoffs) : ks(std::move(cutoffs)), hr(ks.size(), 0.0), ndcg(ks.size(), 0.0) {}

void Metrics::add(std::int64_t rank) {
  L2_DCHECK(rank >= 1);
  ++users;
  mrr += 1.0 / double(rank);
  for (size_t i = 0; i < ks.size(); ++i)
    if (rank <= ks[i]) {
      hr[i] += 1.0;
      ndcg[i] += 1.0 / std::log2(1.0 + double(rank));
    }
}

void Metrics::finish() {
  if (users == 0) return;
  for (size_t i = 0; i < ks.size(); ++i) {
    hr[i] /= double(users);
    ndcg[i] /= double(users);
  }
  mrr /= double(users);
}

double Metrics::hr_at(int k) const {
  for (size_t i = 0; i < ks.size(); ++i)
    if (ks[i] == k) return hr[i];
  L2_FAIL("HR@" << k << " was not computed (cut-offs computed: see --ks)");
}

double Metrics::ndcg_at(int k) const {
  for (size_t i = 0; i < ks.size(); ++i)
    if (ks[i] == k) return ndcg[i];
  L2_FAIL("NDCG@" << k << " was not computed (cut-offs computed: see --ks)");
}

double Metrics::value(const std::string& name) const {
  if (name == "mrr") return mrr;
  const auto at = name.find('@');
  if (at != std::string::npos) {
    const std::string kind = name.substr(0, at);
    const int k = std::atoi(name.c_str() + at + 1);
    if (kind == "hr") return hr_at(k);
    if (kind == "ndcg") return ndcg_at(k);
  }
  L2_FAIL("unknown metric '" << name << "' (known: hr@K, ndcg@K, mrr)");
}

nlohmann::json Metrics::to_json() const {
  nlohmann::json j = {{"users", users}, {"mrr", mrr}};
  for (size_t i = 0; i < ks.size(); ++i) {
    j["hr@" + std::to_string(ks[i])] = hr[i];
    j["ndcg@" + std::to_string(ks[i])] = ndcg[i];
  }
  return j;
}

const Metrics& GroupMetrics::of(const std::string& group) const {
  if (group == "casual") return casual;
  if (group == "core") return core;
  if (group == "all") return all;
  L2_FAIL("unknown user group '" << group << "' (known: casual, core, all)");
}

nlohmann::json GroupMetrics::to_json() const {
  return {{"casual", casual.to_json()}, {"core", core.to_json()}, {"all", all.to_json()}};
}

std::string format_table(const GroupMetrics& m, const std::string& title) {
  std::string out = title + "\n";
  char buf[64];
  std::string head = "  group    users";
  for (int k : m.all.ks) {
    const std::string hr = "HR@" + std::to_string(k), nd = "NDCG@" + std::to_string(k);
    std::snprintf(buf, sizeof buf, "  %7s %7s", hr.c_str(), nd.c_str());
    head += buf;
  }
  out += head + "\n";
  for (const char* g : {"casual", "core", "all"}) {
    const Metrics& x = m.of(g);
    std::snprintf(buf, sizeof buf, "  %-6s %7lld", g, (long long)x.users);
    out += buf;
    for (size_t i = 0; i < x.ks.size(); ++i) {
      std::snprintf(buf, sizeof buf, "  %6.2f%% %6.2f%%", 100.0 * x.hr[i], 100.0 * x.ndcg[i]);
      out += buf;
    }
    out += "\n";
  }
  return out;
}

}  // namespace l2::recsys
