// The cost of one L2Aug inner step (Algorithm 1, lines 3-13) at the paper's setting: SASRec,
// 20,000 items, length 200, width 100, a fine-tune batch of 128 core sequences, a meta set of 100
// users: the policy's forward pass and sampling over the batch, the copy of the recommender and of
// its Adam state, one fine-tune step on the augmented batch, the meta metric of the copy (full
// ranking over all items), and the REINFORCE update. The PyTorch twin is
// bench/torch/bench_inner_step.py. Random sequences stand in for data: the cost depends on shapes.
//   bench_inner_step [--threads N] [--reps R]
#include <chrono>
#include <cstdio>

#include "bench/harness.h"
#include "l2aug/method/reinforce.h"
#include "nn/optim.h"
#include "recsys/models/recommender.h"
#include "recsys/train/loss.h"
#include "tensor/kernels/topk.h"
#include "tensor/parallel.h"

using namespace l2;
using namespace l2::bench;

int main(int argc, char** argv) {
  const bench::Args args(argc, argv, "bench_inner_step [--threads N] [--reps R]", {"--threads", "--reps"});
  set_num_threads(std::atoi(args.get("--threads", "0").c_str()));
  const int reps = std::atoi(args.get("--reps", "5").c_str());
  const std::int32_t V = 20000;
  const std::int64_t L = 200, B = 128, META = 100;
  recsys::ModelConfig mc = recsys::ModelConfig::defaults(recsys::ModelKind::sasrec);
  mc.num_items = V;
  mc.maxlen = L;
  auto model = recsys::make_model(mc), copy = recsys::make_model(mc);
  nn::Adam adam(model->named_parameters(), {1e-3f, 0.9f, 0.98f, 1e-8f, 0.0f, false, true});
  nn::Adam copy_adam(copy->named_parameters(), adam.options());
  Generator g(1);
  std::vector<std::vector<std::int32_t>> seqs(static_cast<size_t>(B)), meta_hist(static_cast<size_t>(META));
  for (auto& s : seqs)
    for (std::int64_t k = 0; k < L + 1; ++k) s.push_back(std::int32_t(g.integer(1, V + 1)));
  for (auto& s : meta_hist)
    for (std::int64_t k = 0; k < L; ++k) s.push_back(std::int32_t(g.integer(1, V + 1)));
  std::vector<std::span<const std::int32_t>> spans(seqs.begin(), seqs.end());
  // Warm the main model's Adam state (as after pretraining), so that copying it is real work.
  {
    std::vector<recsys::SequenceRef> refs;
    for (const auto& s : seqs) refs.push_back({s, {}, 1, 1.0f});
    std::vector<std::int32_t> rows(static_cast<size_t>(B));
    for (std::int64_t r = 0; r < B; ++r) rows[size_t(r)] = std::int32_t(r);
    Var loss = recsys::next_item_loss(*model, recsys::make_sequence_batch(refs, rows, L, {1, 1, V}));
    backward(loss);
    adam.step();
    model->zero_grad();
  }
  method::AugmentorConfig ac;
  ac.maxlen = L;
  method::Augmentor policy(ac, V);
  method::Reinforce reinforce(policy, {});
  std::vector<recsys::EvalCase> meta;
  for (std::int64_t u = 0; u < META; ++u) meta.push_back({meta_hist[size_t(u)], std::int32_t(g.integer(1, V + 1)), std::int32_t(u + 1)});

  double t_policy = 0, t_copy = 0, t_finetune = 0, t_meta = 0, t_update = 0;
  auto now = [] { return std::chrono::steady_clock::now(); };
  auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  std::vector<double> totals;
  for (int rep = 0; rep < reps + 1; ++rep) {
    const auto t0 = now();
    method::PolicyStep step = method::run_policy(policy, spans, nullptr, false, 1, std::uint64_t(rep), true);
    const auto t1 = now();
    copy->load_state_dict(model->state_dict());
    copy_adam.copy_state_from(adam);
    const auto t2 = now();
    std::vector<recsys::SequenceRef> refs;
    for (const method::Augmented& a : step.augmented) refs.push_back({a.items, {}, 1, 1.0f});
    std::vector<std::int32_t> rows(refs.size());
    for (size_t r = 0; r < rows.size(); ++r) rows[r] = std::int32_t(r);
    copy->train();
    Var loss = recsys::next_item_loss(*copy, recsys::make_sequence_batch(refs, rows, L, {1, std::uint64_t(rep), V}));
    backward(loss);
    copy_adam.step();
    copy->zero_grad();
    const auto t3 = now();
    copy->eval();
    const recsys::EvalBatch eb = recsys::make_eval_batch(meta, L);
    Tensor scores = copy->score_all_last(eb.items, eb.positions);
    std::vector<std::int64_t> ranks(static_cast<size_t>(META));
    for (std::int64_t u = 0; u < META; ++u)
      ranks[size_t(u)] = kernels::rank_of_target(scores.data() + u * (V + 1) + 1, V, eb.targets[u] - 1);
    const auto t4 = now();
    reinforce.update(step, 0.01);
    const auto t5 = now();
    if (rep == 0) continue;  // warm-up
    t_policy += secs(t0, t1);
    t_copy += secs(t1, t2);
    t_finetune += secs(t2, t3);
    t_meta += secs(t3, t4);
    t_update += secs(t4, t5);
    totals.push_back(secs(t0, t5));
  }
  std::sort(totals.begin(), totals.end());
  std::printf("threads %d\n", num_threads());
  std::printf("inner step (SASRec, %d items, length %lld, fine-tune batch %lld, meta %lld users): median %.3f s\n", V,
              (long long)L, (long long)B, (long long)META, totals[totals.size() / 2]);
  std::printf("  mean parts: policy %.3f s, copy %.3f s, fine-tune %.3f s, meta metric %.3f s, REINFORCE %.3f s\n",
              t_policy / reps, t_copy / reps, t_finetune / reps, t_meta / reps, t_update / reps);
  return 0;
}
