// Algorithm 1 of the L2Aug paper: the augmentor and the recommender trained in alternation.
//   repeat:
//     S_B   <- B sequences of core users                                            (line 3)
//     S_aug <- the policy's edits of S_B                                            (lines 5-9)
//     f'    <- a copy of the recommender (parameters and Adam state), fine-tuned
//              k steps on S_aug at the recommender's learning rate and clipping     (line 11)
//     r     <- M(f', meta) - M(f, meta), M = HR@10 + NDCG@10 over the meta users   (line 12)
//     policy update by REINFORCE with r for every decision in the batch           (line 13, Eq. 6-7)
//     every F iterations (replay, lines 15-19): one update of the recommender on B
//       sequences the policy generates from other core users plus B original sequences
//       drawn uniformly from casual and core users (the same step as the fine-tune: the
//       recommender's learning rate and train.clip_norm)
// until the casual-user validation metric stops improving (patience); the best recommender and
// policy are kept. Every draw derives from (seed, iteration), so a run is reproducible and resumes
// exactly from a checkpoint.
//
// Note [Estimators]: the defaults are the paper's estimator (one sample of actions, reward =
// change of HR@10 + NDCG@10 of f' over f). Settings that go beyond the paper:
//   reward = mrr | ndcg_full | loglik   a smooth meta objective (l2aug/method/meta_objective.h)
//   paired                              r = M(f' tuned on the augmented batch) - M(f'' tuned on the
//                                       same batch unaugmented), with the same negatives and dropout
//                                       draws: the batch's own effect cancels (common random numbers)
//   samples = S > 1                     S samples of actions for the same batch, each fine-tuned with
//                                       the same draws, leave-one-out advantages (reinforce.h)
//   meta_users, fine_tune_steps         the meta set's size and the steps per reward
//   credit = sequence                   each sequence's decisions get their own first-order credit
//                                       instead of the batch's reward (Note [Per-sequence credit] in
//                                       sequence_credit.h; with reward = loglik, one sample)
// and the controls (policy = keep_all | uniform) run this exact schedule with a policy that does not
// learn: what L2Aug gains over them is what the learned augmentation contributes.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "l2aug/method/meta_objective.h"
#include "l2aug/method/reinforce.h"
#include "recsys/settings.h"
#include "recsys/train/trainer.h"
#include "recsys/train/training_run.h"

namespace l2::method {

struct L2AugConfig {
  std::int64_t batch = 512;           // B (paper: the recommenders' batch size)
  std::int64_t fine_tune_steps = 1;   // k
  std::int64_t replay_every = 5;      // F (paper, Section 5.1)
  std::string reward = "hr+ndcg";     // the meta objective M (meta_objective.h; paper: hr+ndcg at 10, Section 4.1)
  int reward_k = 10;
  std::int64_t iterations = 2000;     // an upper bound; early stopping usually ends sooner
  std::int64_t eval_every = 50;       // iterations between validations
  std::int64_t patience = 8;          // validations without improvement before stopping
  std::string criterion = "ndcg@10";  // on casual users' validation (the treatments' common criterion)
  std::string criterion_group = "casual";
  std::int64_t meta_users = 0;        // 0: every meta-validation user; else a fixed seeded subset
  double max_seconds = 0;             // 0: no limit
  double checkpoint_seconds = 60;
  std::uint64_t seed = 1;
  std::string policy = "learned";     // or a control: keep_all, uniform (Note [Estimators])
  bool paired = false;                // Note [Estimators]
  std::int64_t samples = 1;           // samples of actions per batch (Note [Estimators])
  std::string credit = "batch";       // or "sequence" (Note [Estimators])
  AugmentorConfig augmentor;
  ReinforceOptions reinforce;

  // Every key of the JSON form, its meaning and range; the entries point into this object.
  recsys::SettingsTable settings();
  nlohmann::json to_json() const;
  void apply_json(const nlohmann::json& j);  // unknown keys are errors naming the key
  void set(const std::string& key, const std::string& value);
  // Settings that cannot go together (each is valid alone); checked before a run starts.
  void check_combination() const;
};

struct L2AugLogRow {
  std::int64_t iteration = 0;
  double seconds = 0.0;
  double reward = 0.0, advantage = 0.0, baseline = 0.0, entropy = 0.0;
  double meta_before = 0.0, meta_after = 0.0;  // M(f, meta), M(f', meta)
  std::vector<double> action_probs;             // mean per action
  bool replayed = false;
  bool validated = false;
  double criterion = 0.0;
  nlohmann::json validation;
};
// As JSON in checkpoints, one key per field.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(L2AugLogRow, iteration, seconds, reward, advantage, baseline, entropy, meta_before,
                                   meta_after, action_probs, replayed, validated, criterion, validation)

class L2AugTrainer {
 public:
  // `model` is the pretrained recommender, `optimizer` its Adam (state included), `train` the
  // settings it was trained with (learning rate, evaluation protocol).
  L2AugTrainer(recsys::SequentialRecommender& model, nn::Adam& optimizer, const recsys::Split& split,
               const recsys::TrainConfig& train, const L2AugConfig& config);
  ~L2AugTrainer();

  void set_checkpoint_dir(const std::filesystem::path& dir) { dir_ = dir; }
  void resume(const std::filesystem::path& checkpoint);
  // Runs Algorithm 1 until early stopping, the iteration or time limit or a stop signal; leaves
  // the best recommender and policy in place.
  recsys::TrainStatus run();

  // The steps of Algorithm 1, public for tests and benchmarks.
  // One inner step (lines 3-13) at iteration i; returns its log row.
  L2AugLogRow inner_step(std::int64_t i);
  // The rewards of iteration i's batch, one per sample of actions, without updating the policy
  // (what inner_step computes before its update; for the reward diagnostic and tests).
  struct SampledRewards {
    PolicyStep step;                                   // the distributions (its first sample moved to samples[0])
    std::vector<std::vector<Augmented>> samples;       // every sample of actions
    std::vector<double> meta_after;                    // per sample: M(f') after its fine-tune
    std::vector<double> rewards;                       // per sample: meta_after - meta_before
    double meta_before = 0.0;                          // M(f), or M(f'') when paired
    std::vector<std::int32_t> rows;                    // the batch: indices of the core sequences
  };
  SampledRewards sample_rewards(std::int64_t i, bool record_graph = false);
  // Per row of iteration i's batch, the first-order credit of its augmentation `sample` (Note
  // [Per-sequence credit]): -lr (slope of the augmented row's loss - the original's) along Adam's
  // scaling of the meta log-likelihood's gradient, at the current recommender.
  std::vector<double> sequence_credits(const std::vector<Augmented>& sample, const std::vector<std::int32_t>& rows,
                                       std::int64_t i);
  // The replay update of the recommender (lines 15-19) at iteration i.
  void replay(std::int64_t i);
  // M(model, meta) for the configured reward.
  double meta_metric(recsys::SequentialRecommender& model);
  std::int64_t meta_size() const { return std::int64_t(meta_cases_.size()); }

  Augmentor& policy() { return *policy_; }
  const ItemCorrelation& correlation() const { return *correlation_; }
  const std::vector<L2AugLogRow>& log() const { return log_; }
  std::string log_csv() const;
  double best_criterion() const { return run_.best(); }
  std::int64_t iterations_done() const { return iteration_; }

 private:
  std::vector<std::int32_t> sample_rows(const std::vector<std::int32_t>& pool, std::int64_t n, std::uint64_t stream,
                                        const std::vector<std::int32_t>& avoid) const;
  std::vector<recsys::SequenceRef> augmented_refs(const std::vector<Augmented>& sample,
                                                  const std::vector<std::int32_t>& rows) const;
  // The learned policy's step, or a control's (config.policy).
  PolicyStep act(std::span<const std::span<const std::int32_t>> sequences, std::uint64_t stream, bool record_graph) const;
  // M(f'), where f' is a copy of the recommender and its optimiser fine-tuned on `seqs` with
  // iteration i's draws (the same for every sample and for the paired control).
  double fine_tuned_meta(std::span<const recsys::SequenceRef> seqs, std::int64_t i);
  void fine_tune(recsys::SequentialRecommender& model, nn::Adam& opt, std::span<const recsys::SequenceRef> seqs,
                 std::uint64_t stream, std::int64_t steps);
  void validate_and_track(L2AugLogRow& row);
  void save_checkpoint(std::int64_t next_iteration);  // the state before iteration `next_iteration`

  recsys::SequentialRecommender& model_;
  nn::Adam& optimizer_;
  const recsys::Split& split_;
  recsys::TrainConfig train_;
  L2AugConfig config_;
  PolicyKind policy_kind_ = PolicyKind::learned;
  MetaObjective objective_ = MetaObjective::hr_ndcg;
  std::unique_ptr<ItemCorrelation> correlation_;
  std::unique_ptr<Augmentor> policy_;
  std::unique_ptr<Reinforce> reinforce_;
  std::unique_ptr<recsys::SequentialRecommender> shadow_;  // f', reused every step
  std::unique_ptr<nn::Adam> shadow_optimizer_;
  std::vector<recsys::SequenceRef> sequences_;  // every trainable user's training sequence
  std::vector<std::int32_t> core_rows_, all_rows_;  // indices into sequences_
  std::vector<recsys::EvalCase> meta_cases_;
  double meta_cached_ = 0.0;
  bool meta_valid_ = false;
  std::vector<Tensor> meta_direction_;  // credit = sequence: Adam-scaled gradient of the meta log-likelihood; empty when stale

  std::filesystem::path dir_;
  std::int64_t iteration_ = 0;
  std::vector<L2AugLogRow> log_;
  recsys::TrainingRun run_;  // early stopping, the best recommender and policy, time, checkpoint cadence
};

}  // namespace l2::method
