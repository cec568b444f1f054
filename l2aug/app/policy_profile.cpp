#include "l2aug/app/policy_profile.h"

#include <algorithm>

#include "l2aug/app/item_users.h"
#include "l2aug/app/reward_diagnostic.h"
#include "recsys/data/batch.h"
#include "tensor/functional.h"

namespace l2::app {

namespace {

constexpr const char* kViews[] = {"popularity_decile", "from_end", "continuity"};
// Distance from the end of the sequence (1 = the last item): 1, 2, 3-4, 5-8, 9-16, 17-32, 33+.
constexpr std::int64_t kEndBounds[] = {1, 2, 4, 8, 16, 32};
// Similarity with the previous item: none (the first item), 0, (0, .02], (.02, .05], (.05, .1], (.1, 1].
constexpr double kContinuityBounds[] = {0.0, 0.02, 0.05, 0.1};

struct Buckets {
  std::vector<std::string> labels;
  std::vector<double> sum, count;
  explicit Buckets(std::vector<std::string> l) : labels(std::move(l)), sum(labels.size(), 0.0), count(labels.size(), 0.0) {}
  void add(size_t b, double p) {
    sum[b] += p;
    count[b] += 1.0;
  }
  nlohmann::json to_json() const {
    std::vector<double> mean(sum.size(), 0.0);
    for (size_t b = 0; b < sum.size(); ++b) mean[b] = count[b] > 0 ? sum[b] / count[b] : 0.0;
    return {{"buckets", labels}, {"p_edit", mean}, {"decisions", count}};
  }
};

}  // namespace

nlohmann::json policy_profile(const recsys::Split& split, const method::Augmentor& policy, method::PolicyKind kind,
                              std::int64_t max_sequences) {
  const std::vector<recsys::SequenceRef> seqs = recsys::recommender_training_sequences(split);
  const ItemUsers iu(seqs, split.num_items());
  std::vector<double> frequency(size_t(split.num_items()) + 1, 0.0);
  for (const recsys::SequenceRef& s : seqs)
    for (std::int32_t i : s.items) frequency[size_t(i)] += 1.0;
  std::vector<recsys::SequenceRef> core;
  for (const recsys::SequenceRef& s : seqs)
    if (split.group(s.user) == recsys::Group::core && (max_sequences == 0 || std::int64_t(core.size()) < max_sequences))
      core.push_back(s);
  L2_CHECK(!core.empty(), "policy profile: the data has no core user to profile the policy on");
  const std::span<const method::Action> actions = policy.config().actions;
  const auto keep = std::find(actions.begin(), actions.end(), method::Action::keep);
  const std::int64_t keep_index = keep == actions.end() ? -1 : std::int64_t(keep - actions.begin());

  // Popularity deciles over the decided items (each decision counts once).
  struct Decision {
    double frequency, p_edit, similarity;
    std::int64_t from_end;
    bool first;
  };
  std::vector<Decision> decisions;
  const std::int64_t A = policy.num_actions();
  for (size_t begin = 0; begin < core.size(); begin += 256) {
    std::vector<std::span<const std::int32_t>> spans;
    for (size_t r = begin; r < std::min(core.size(), begin + 256); ++r) spans.push_back(core[r].items);
    const method::PolicyBatch b = policy.make_batch(spans);
    NoGradGuard guard;
    const Tensor probs = fn::softmax(policy.logits(b)->value);
    for (std::int64_t r = 0; r < b.B; ++r) {
      const std::span<const std::int32_t> s = spans[size_t(r)];
      const std::int64_t n = b.length[size_t(r)];
      for (std::int64_t k = 0; k < n; ++k) {
        const float* p = probs.data() + (r * b.T + (b.T - n + k)) * A;
        const std::int64_t index = b.offset[size_t(r)] + k;  // in the sequence
        const std::int32_t item = s[size_t(index)];
        Decision d;
        d.frequency = frequency[size_t(item)];
        d.p_edit = kind == method::PolicyKind::keep_all ? 0.0
                   : kind == method::PolicyKind::uniform ? (keep_index < 0 ? 1.0 : 1.0 - 1.0 / double(A))
                   : keep_index < 0                      ? 1.0
                                                         : 1.0 - double(p[keep_index]);
        d.first = index == 0;
        d.similarity = d.first ? 0.0 : iu.similarity(s[size_t(index - 1)], item, core[begin + size_t(r)].user);
        d.from_end = std::int64_t(s.size()) - index;
        decisions.push_back(d);
      }
    }
  }
  std::vector<double> sorted;
  for (const Decision& d : decisions) sorted.push_back(d.frequency);
  std::sort(sorted.begin(), sorted.end());
  std::vector<double> decile_bounds;  // upper bounds of deciles 1..9
  for (int q = 1; q < 10; ++q) decile_bounds.push_back(sorted[size_t(double(sorted.size() - 1) * q / 10.0)]);

  Buckets popularity({"d1 (rarest)", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9", "d10 (most popular)"});
  Buckets from_end({"last", "2nd last", "3-4", "5-8", "9-16", "17-32", "33+"});
  Buckets continuity({"first item", "0", "(0, .02]", "(.02, .05]", "(.05, .1]", "> .1"});
  double total = 0.0;
  for (const Decision& d : decisions) {
    total += d.p_edit;
    // Ties at a bound fall into the lower decile; equal frequencies share a decile.
    popularity.add(size_t(std::lower_bound(decile_bounds.begin(), decile_bounds.end(), d.frequency) - decile_bounds.begin()), d.p_edit);
    from_end.add(size_t(std::lower_bound(std::begin(kEndBounds), std::end(kEndBounds), d.from_end) - std::begin(kEndBounds)), d.p_edit);
    const size_t c = d.first ? 0
                     : d.similarity <= 0.0
                         ? 1
                         : 2 + size_t(std::lower_bound(std::begin(kContinuityBounds) + 1, std::end(kContinuityBounds), d.similarity) -
                                      (std::begin(kContinuityBounds) + 1));
    continuity.add(c, d.p_edit);
  }
  return {{"sequences", core.size()},
          {"decisions", decisions.size()},
          {"mean_p_edit", total / double(decisions.size())},
          {kViews[0], popularity.to_json()},
          {kViews[1], from_end.to_json()},
          {kViews[2], continuity.to_json()}};
}

double profile_agreement(const nlohmann::json& a, const nlohmann::json& b) {
  std::vector<double> x, y;
  for (const char* view : kViews) {
    const auto pa = a.at(view).at("p_edit").get<std::vector<double>>(), pb = b.at(view).at("p_edit").get<std::vector<double>>();
    const auto na = a.at(view).at("decisions").get<std::vector<double>>(), nb = b.at(view).at("decisions").get<std::vector<double>>();
    L2_CHECK(pa.size() == pb.size(), "policy profiles of different shapes (" << view << ")");
    for (size_t k = 0; k < pa.size(); ++k)
      if (na[k] > 0 && nb[k] > 0) {  // an empty bucket says nothing about either policy
        x.push_back(pa[k]);
        y.push_back(pb[k]);
      }
  }
  return pearson(x, y);
}

}  // namespace l2::app
