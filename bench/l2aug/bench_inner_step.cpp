// The cost of one L2Aug inner step (Algorithm 1, lines 3-13) for each estimator, at the shapes of
// the paper's SASRec on Amazon Beauty: 20,000 items, length 200, width 100, a fine-tune batch of 512
// core sequences, a meta set of 1,391 users (Beauty's under the default protocol). One step is the
// policy's forward pass and sampling over the batch, then for every fine-tune the estimator needs
// (Note [Estimators] in l2aug/method/algorithm1.h) a copy of the recommender and of its Adam state,
// one fine-tune step (l2::recsys::next_item_step, clipping included) and the meta objective of the
// copy over all items (l2::method::score_meta), then the REINFORCE update:
//   paper     one sample, M = HR@10 + NDCG@10                 1 fine-tune + meta
//   loglik    one sample, M = mean log-likelihood (softmax)    1 fine-tune + meta with a log-sum-exp
//   paired    one sample against the unaugmented batch         2 fine-tunes + metas
//   samples4  four samples, leave-one-out advantages           4 fine-tunes + metas
// The PyTorch twin is bench/torch/bench_inner_step.py. By default random sequences of the full
// length 200 stand in for data (the worst case: no padding anywhere). With --split DIR (a split
// written by `l2aug data export`) the fine-tune batch is B core users' training sequences, every
// (n/B)-th core user in id order, and the meta set is the split's meta users: real lengths, so the
// padding that length buckets (Note [Length buckets within a step]) and length-ordered meta
// blocks save is real too. Item ids stay below 20,000 either way.
//   bench_inner_step [--threads N] [--reps R] [--estimator paper|loglik|paired|samples4] [--batch B] [--meta M] [--split DIR]
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "bench/harness.h"
#include "l2aug/method/meta_objective.h"
#include "l2aug/method/reinforce.h"
#include "nn/optim.h"
#include "recsys/models/recommender.h"
#include "recsys/train/step.h"
#include "tensor/parallel.h"

using namespace l2;
using namespace l2::bench;

namespace {
// Reads a split written by `l2aug data export`: B core users' training sequences (every (n/B)-th
// core user with >= 2 training items, in id order; the last L + 1 items) and every meta user's
// history (the last L items) and target.
void read_split(const std::string& dir, std::int64_t B, std::int64_t L, std::vector<std::vector<std::int32_t>>& seqs,
                std::vector<std::vector<std::int32_t>>& meta_hist, std::vector<std::int32_t>& meta_targets) {
  const auto lines = [&](const std::string& name) {
    std::ifstream in(dir + "/" + name);
    if (!in) {
      std::fprintf(stderr, "bench_inner_step: cannot read %s/%s (write it with `l2aug data export`)\n", dir.c_str(), name.c_str());
      std::exit(2);
    }
    std::vector<std::vector<std::string>> out;
    for (std::string line; std::getline(in, line);) {
      std::istringstream fields(line);
      out.emplace_back();
      for (std::string f; fields >> f;) out.back().push_back(f);
    }
    return out;
  };
  const auto tail = [](const std::vector<std::string>& f, size_t from, std::int64_t keep) {
    std::vector<std::int32_t> v;
    for (size_t k = from; k < f.size(); ++k) v.push_back(std::int32_t(std::stol(f[k])));
    if (std::int64_t(v.size()) > keep) v.erase(v.begin(), v.end() - keep);
    return v;
  };
  std::map<long, std::vector<std::int32_t>> train;
  for (const auto& f : lines("train.txt"))
    if (!f.empty()) train[std::stol(f[0])] = tail(f, 1, L + 1);
  std::vector<long> core;
  for (const auto& f : lines("users.tsv"))
    if (f.size() >= 3 && f[2] == "core" && train.count(std::stol(f[0])) && train[std::stol(f[0])].size() >= 2)
      core.push_back(std::stol(f[0]));
  std::sort(core.begin(), core.end());
  if (std::int64_t(core.size()) < B) {
    std::fprintf(stderr, "bench_inner_step: %s has %zu core training sequences, fewer than the batch %lld\n", dir.c_str(),
                 core.size(), (long long)B);
    std::exit(2);
  }
  for (std::int64_t j = 0; j < B; ++j) seqs[size_t(j)] = train[core[size_t(j * std::int64_t(core.size()) / B)]];
  meta_hist.clear();
  for (const auto& f : lines("meta.txt"))
    if (f.size() >= 3) {
      meta_targets.push_back(std::int32_t(std::stol(f[1])));
      meta_hist.push_back(tail(f, 2, L));
    }
}
}  // namespace

int main(int argc, char** argv) {
  const bench::Args args(argc, argv,
                         "bench_inner_step [--threads N] [--reps R] [--estimator paper|loglik|paired|samples4] "
                         "[--batch B] [--meta M] [--split DIR]",
                         {"--threads", "--reps", "--estimator", "--batch", "--meta", "--split"});
  set_num_threads(std::atoi(args.get("--threads", "0").c_str()));
  const int reps = std::atoi(args.get("--reps", "5").c_str());
  const std::string estimator = args.get("--estimator", "paper");
  if (estimator != "paper" && estimator != "loglik" && estimator != "paired" && estimator != "samples4") {
    std::fprintf(stderr, "unknown --estimator %s (known: paper, loglik, paired, samples4)\n", estimator.c_str());
    return 2;
  }
  const std::int32_t V = 20000;
  const std::int64_t L = 200, B = std::atoll(args.get("--batch", "512").c_str()),
                     META = std::atoll(args.get("--meta", "1391").c_str());
  const std::int64_t S = estimator == "samples4" ? 4 : 1;
  const bool paired = estimator == "paired";
  const method::MetaObjective objective = estimator == "loglik" ? method::MetaObjective::loglik : method::MetaObjective::hr_ndcg;

  recsys::ModelConfig mc = recsys::ModelConfig::defaults(recsys::ModelKind::sasrec);
  mc.num_items = V;
  mc.maxlen = L;
  auto model = recsys::make_model(mc), copy = recsys::make_model(mc);
  nn::Adam adam(model->named_parameters(), {1e-3f, 0.9f, 0.98f, 1e-8f, 0.0f, false, true});
  nn::Adam copy_adam(copy->named_parameters(), adam.options());
  Generator g(1);
  std::vector<std::vector<std::int32_t>> seqs(static_cast<size_t>(B)), meta_hist(static_cast<size_t>(META));
  std::vector<std::int32_t> meta_targets;
  if (const std::string dir = args.get("--split", ""); !dir.empty()) {
    read_split(dir, B, L, seqs, meta_hist, meta_targets);
  } else {
    for (auto& s : seqs)
      for (std::int64_t k = 0; k < L + 1; ++k) s.push_back(std::int32_t(g.integer(1, V + 1)));
    for (auto& s : meta_hist)
      for (std::int64_t k = 0; k < L; ++k) s.push_back(std::int32_t(g.integer(1, V + 1)));
  }
  std::int64_t fine_tune_positions = 0, meta_positions = 0;
  for (const auto& s : seqs) fine_tune_positions += std::int64_t(s.size()) - 1;
  for (const auto& s : meta_hist) meta_positions += std::int64_t(s.size());
  std::vector<std::span<const std::int32_t>> spans(seqs.begin(), seqs.end());
  std::vector<std::int32_t> rows(static_cast<size_t>(B));
  for (std::int64_t r = 0; r < B; ++r) rows[size_t(r)] = std::int32_t(r);
  const auto refs_of = [](const std::vector<std::span<const std::int32_t>>& items) {
    std::vector<recsys::SequenceRef> refs;
    for (size_t r = 0; r < items.size(); ++r) refs.push_back({items[r], {}, std::int32_t(r + 1), 1.0f});
    return refs;
  };
  // Warm the main model's Adam state (as after pretraining), so that copying it is real work.
  recsys::next_item_step(*model, recsys::make_sequence_batch(refs_of(spans), rows, L, {1, 1, V}), adam, 5.0f);
  method::AugmentorConfig ac;
  ac.maxlen = L;
  method::Augmentor policy(ac, V);
  method::Reinforce reinforce(policy, {});
  std::vector<recsys::EvalCase> meta;
  for (std::int64_t u = 0; u < std::int64_t(meta_hist.size()); ++u)
    meta.push_back({meta_hist[size_t(u)], meta_targets.empty() ? std::int32_t(g.integer(1, V + 1)) : meta_targets[size_t(u)],
                    std::int32_t(u + 1)});
  recsys::EvalOptions eval;
  eval.maxlen = L;

  double t_policy = 0, t_copy = 0, t_finetune = 0, t_meta = 0, t_update = 0;
  auto now = [] { return std::chrono::steady_clock::now(); };
  auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  std::vector<double> totals;
  for (int rep = 0; rep < reps + 1; ++rep) {
    double policy_s = 0, copy_s = 0, finetune_s = 0, meta_s = 0;
    const auto t0 = now();
    method::PolicyStep step = method::run_policy(policy, spans, nullptr, false, 1, std::uint64_t(rep), true);
    std::vector<std::vector<method::Augmented>> samples = {step.augmented};
    for (std::int64_t s = 1; s < S; ++s)
      samples.push_back(method::sample_again(step, spans, ac.actions, nullptr, 1, std::uint64_t(rep) + (std::uint64_t(s) << 48)));
    policy_s += secs(t0, now());
    // One fine-tune of a fresh copy on `items`, then the copy's meta objective.
    const auto fine_tuned_meta = [&](const std::vector<std::span<const std::int32_t>>& items) {
      const auto a = now();
      copy->load_state_dict(model->state_dict());
      copy_adam.copy_state_from(adam);
      const auto b = now();
      copy->train();
      recsys::next_item_step(*copy, refs_of(items), rows, L, {1, std::uint64_t(rep), V}, copy_adam, 5.0f);
      const auto c = now();
      copy->eval();
      const double m = method::meta_value(
          objective, 10, method::score_meta(*copy, meta, V, eval, objective == method::MetaObjective::loglik));
      const auto d = now();
      copy_s += secs(a, b);
      finetune_s += secs(b, c);
      meta_s += secs(c, d);
      return m;
    };
    const double before = paired ? fine_tuned_meta(spans) : 0.0;  // unpaired: M(f) is cached between updates
    std::vector<double> rewards;
    for (const auto& sample : samples) {
      std::vector<std::span<const std::int32_t>> items;
      for (const method::Augmented& a : sample) items.push_back(a.items);
      rewards.push_back(fine_tuned_meta(items) - before);
    }
    const auto t4 = now();
    reinforce.update(step, samples, rewards);
    const auto t5 = now();
    if (rep == 0) continue;  // warm-up
    t_policy += policy_s;
    t_copy += copy_s;
    t_finetune += finetune_s;
    t_meta += meta_s;
    t_update += secs(t4, t5);
    totals.push_back(secs(t0, t5));
  }
  std::sort(totals.begin(), totals.end());
  std::printf("threads %d\n", num_threads());
  std::printf("inner step %s (SASRec, %d items, length %lld, fine-tune batch %lld with %lld input positions, meta %lld users "
              "with %lld history positions): median %.3f s\n",
              estimator.c_str(), V, (long long)L, (long long)B, (long long)fine_tune_positions, (long long)meta.size(),
              (long long)meta_positions, totals[totals.size() / 2]);
  std::printf("  mean parts: policy %.3f s, copy %.3f s, fine-tune %.3f s, meta objective %.3f s, REINFORCE %.3f s\n",
              t_policy / reps, t_copy / reps, t_finetune / reps, t_meta / reps, t_update / reps);
  return 0;
}
