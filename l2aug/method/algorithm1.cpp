#include "l2aug/method/algorithm1.h"

#include <cmath>
#include <set>
#include <sstream>

#include "l2aug/method/sequence_credit.h"
#include "nn/checkpoint.h"
#include "recsys/checkpoint_json.h"
#include "recsys/models/model_file.h"
#include "recsys/train/step.h"
#include "recsys/train/stop_signal.h"

namespace l2::method {

using recsys::EvalCase;
using recsys::SequenceRef;

// ---- configuration ------------------------------------------------------------------------------

recsys::SettingsTable L2AugConfig::settings() {
  using recsys::Limit;
  const recsys::CustomField actions{
      [this] { return nlohmann::json(actions_text(augmentor.actions)); },
      [this](const nlohmann::json& v) { augmentor.actions = parse_actions(v.get<std::string>()); }};
  return {
      {"batch", &batch, "B: core sequences augmented per iteration", Limit::positive},
      {"fine_tune_steps", &fine_tune_steps, "k: steps fine-tuning the copy of the recommender", Limit::positive},
      {"replay_every", &replay_every, "F: iterations between updates of the recommender", Limit::positive},
      {"reward", &reward, "the reward's meta objective (hr+ndcg: the paper's; mrr, ndcg_full, loglik: smooth)",
       Limit::any, meta_objective_names()},
      {"reward_k", &reward_k, "the cutoff K of the reward metric", Limit::positive},
      {"iterations", &iterations, "most iterations (early stopping usually ends sooner)", Limit::non_negative},
      {"eval_every", &eval_every, "iterations between validations", Limit::positive},
      {"patience", &patience, "validations without improvement before stopping", Limit::positive},
      {"criterion", &criterion, "validation metric selecting the best recommender and policy"},
      {"criterion_group", &criterion_group, "users the criterion is measured on", Limit::any,
       {"all", "casual", "core"}},
      {"meta_users", &meta_users, "meta-validation users of the reward, 0: all", Limit::non_negative},
      {"max_seconds", &max_seconds, "most seconds, 0: no limit"},
      {"checkpoint_seconds", &checkpoint_seconds, "most seconds between resumable checkpoints"},
      {"seed", &seed, "seed of every draw of Algorithm 1 and the policy's initialisation"},
      {"policy", &policy, "learned (L2Aug), or a control that does not learn: keep_all, uniform", Limit::any,
       {"learned", "keep_all", "uniform"}},
      {"paired", &paired, "reward against the same fine-tune on the unaugmented batch (common random numbers)"},
      {"samples", &samples, "samples of actions per batch, leave-one-out advantages when > 1", Limit::positive},
      {"credit", &credit, "batch: the batch's reward for every decision (Eq. 7); sequence: a first-order credit per "
                          "sequence (Note [Per-sequence credit])", Limit::any, {"batch", "sequence"}},
      {"actions", actions, "the policy's actions, comma-separated: keep, drop, substitute, insert, reorder"},
      {"policy_dim", &augmentor.dim, "D: the policy's state width", Limit::positive},
      {"policy_residual", &augmentor.residual, "the policy's state adds the item's embedding (Note [Policy residual])"},
      {"policy_lr", &reinforce.lr, "the policy's Adam learning rate", Limit::positive},
      {"baseline", &reinforce.baseline, "REINFORCE: subtract a moving-average reward"},
      {"baseline_decay", &reinforce.baseline_decay, "REINFORCE: decay of the moving averages", Limit::fraction},
      {"normalize", &reinforce.normalize, "REINFORCE: divide by the rewards' moving standard deviation"},
      {"entropy", &reinforce.entropy, "REINFORCE: weight of the entropy bonus", Limit::non_negative},
  };
}

nlohmann::json L2AugConfig::to_json() const {
  L2AugConfig c = *this;  // settings() points into its object
  return settings_json(c.settings());
}

void L2AugConfig::apply_json(const nlohmann::json& j) {
  L2_CHECK(j.is_object(), "L2Aug configuration must be a JSON object");
  L2AugConfig c = *this;  // applied to a copy: a rejected setting leaves this configuration as it was
  const recsys::SettingsTable table = c.settings();
  recsys::apply_settings(table, j, "L2Aug");
  recsys::check_settings(table, "L2Aug");
  *this = c;
}

void L2AugConfig::check_combination() const {
  L2_CHECK(samples == 1 || (!reinforce.baseline && !reinforce.normalize),
           "L2Aug settings: samples > 1 uses leave-one-out advantages; set baseline and normalize to false");
  L2_CHECK(credit != "sequence" || (reward == "loglik" && samples == 1),
           "L2Aug settings: credit=sequence credits the meta log-likelihood's first-order change to one sample of "
           "actions; set reward=loglik and samples=1 (now reward=" << reward << ", samples=" << samples << ")");
}

void L2AugConfig::set(const std::string& key, const std::string& value) {
  apply_json(nlohmann::json{{key, recsys::setting_value(value)}});
}

// ---- the trainer --------------------------------------------------------------------------------

namespace {
// Streams of one iteration's draws: core batch, actions, fine-tune negatives, replay choices.
std::uint64_t stream_of(std::int64_t iteration, std::uint64_t purpose) { return (std::uint64_t(iteration) << 4) | purpose; }
// Sample s > 0 of a batch's actions takes kActions' stream with s in its top bits (an iteration
// count stays far below 2^44).
std::uint64_t sample_stream(std::int64_t iteration, std::int64_t s, std::uint64_t actions) {
  return (std::uint64_t(iteration) << 4 | actions) ^ (std::uint64_t(s) << 48);
}
// The central difference's step in parameter space for per-sequence credit (sequence_credit.h).
constexpr double kCreditStep = 1e-2;
constexpr std::uint64_t kCoreBatch = 1, kActions = 2, kFineTune = 3, kShadowDropout = 4, kReplayCore = 5,
                        kReplayActions = 6, kReplayOriginals = 7, kReplayNegatives = 8, kReplayDropout = 9,
                        kMetaSubset = 10;

std::vector<std::span<const std::int32_t>> spans_of(const std::vector<SequenceRef>& seqs,
                                                    const std::vector<std::int32_t>& rows) {
  std::vector<std::span<const std::int32_t>> out;
  for (std::int32_t r : rows) out.push_back(seqs[size_t(r)].items);
  return out;
}
}  // namespace

L2AugTrainer::L2AugTrainer(recsys::SequentialRecommender& model, nn::Adam& optimizer, const recsys::Split& split,
                           const recsys::TrainConfig& train, const L2AugConfig& config)
    : model_(model),
      optimizer_(optimizer),
      split_(split),
      train_(train),
      config_(config),
      policy_kind_(parse_policy_kind(config.policy)),
      objective_(parse_meta_objective(config.reward)),
      sequences_(recsys::recommender_training_sequences(split)),
      run_("l2aug " + std::string(recsys::model_kind_name(model.config().kind))) {
  config_.check_combination();
  train_.eval.maxlen = model.config().maxlen;
  for (size_t r = 0; r < sequences_.size(); ++r) {
    all_rows_.push_back(std::int32_t(r));
    if (split.group(sequences_[r].user) == recsys::Group::core) core_rows_.push_back(std::int32_t(r));
  }
  L2_CHECK(!core_rows_.empty(), "L2Aug: the data has no core user with a training sequence to augment");
  // Correlations from the recommender-training sequences only (no validation, test or meta target).
  std::vector<std::span<const std::int32_t>> train_spans;
  for (const SequenceRef& s : sequences_) train_spans.push_back(s.items);
  correlation_ = std::make_unique<ItemCorrelation>(train_spans, split.num_items());
  AugmentorConfig ac = config_.augmentor;
  ac.maxlen = model.config().maxlen;
  ac.seed = config_.seed;
  policy_ = std::make_unique<Augmentor>(ac, split.num_items());
  reinforce_ = std::make_unique<Reinforce>(*policy_, config_.reinforce);
  run_.keep("best_model.", model_);
  run_.keep("best_policy.", *policy_);
  shadow_ = recsys::make_model(model.config());
  shadow_optimizer_ = std::make_unique<nn::Adam>(shadow_->named_parameters(), optimizer.options());
  meta_cases_ = recsys::eval_cases(split, recsys::EvalSet::meta);
  L2_CHECK(!meta_cases_.empty(), "L2Aug: the meta-validation set is empty (no casual user with >= 2 training "
                                 "interactions, or --meta-fraction 0)");
  if (config_.meta_users > 0 && config_.meta_users < std::int64_t(meta_cases_.size())) {
    Generator g(config_.seed, kMetaSubset);
    std::vector<std::int64_t> pick = g.sample_without_replacement(std::int64_t(meta_cases_.size()), config_.meta_users);
    std::sort(pick.begin(), pick.end());
    std::vector<EvalCase> subset;
    for (std::int64_t p : pick) subset.push_back(meta_cases_[size_t(p)]);
    meta_cases_ = std::move(subset);
  }
}

L2AugTrainer::~L2AugTrainer() = default;

std::vector<std::int32_t> L2AugTrainer::sample_rows(const std::vector<std::int32_t>& pool, std::int64_t n,
                                                    std::uint64_t stream, const std::vector<std::int32_t>& avoid) const {
  // Without replacement from the pool minus `avoid`, falling back to the whole pool when that is too small.
  std::vector<std::int32_t> candidates;
  if (!avoid.empty()) {
    const std::set<std::int32_t> skip(avoid.begin(), avoid.end());
    for (std::int32_t r : pool)
      if (!skip.count(r)) candidates.push_back(r);
  }
  if (std::int64_t(candidates.size()) < n) candidates = pool;
  Generator g(config_.seed, stream);
  const std::int64_t k = std::min<std::int64_t>(n, std::int64_t(candidates.size()));
  std::vector<std::int32_t> rows;
  for (std::int64_t i : g.sample_without_replacement(std::int64_t(candidates.size()), k)) rows.push_back(candidates[size_t(i)]);
  return rows;
}

std::vector<SequenceRef> L2AugTrainer::augmented_refs(const std::vector<Augmented>& sample,
                                                      const std::vector<std::int32_t>& rows) const {
  std::vector<SequenceRef> refs;
  for (size_t r = 0; r < rows.size(); ++r) {
    SequenceRef ref = sequences_[size_t(rows[r])];  // the user's excluded items and id
    ref.items = sample[r].items;
    ref.weight = 1.0f;
    refs.push_back(ref);
  }
  return refs;
}

void L2AugTrainer::fine_tune(recsys::SequentialRecommender& model, nn::Adam& opt, std::span<const SequenceRef> seqs,
                             std::uint64_t stream, std::int64_t steps) {
  model.train();
  std::vector<std::int32_t> all(seqs.size());
  for (size_t r = 0; r < seqs.size(); ++r) all[r] = std::int32_t(r);
  for (std::int64_t s = 0; s < steps; ++s) {
    const recsys::NegativeSampling neg{config_.seed, stream * 64 + std::uint64_t(s), split_.num_items()};
    // The trainer's step, clipping included, in length buckets (Note [Length buckets within a step]).
    recsys::next_item_step(model, seqs, all, model.config().maxlen, neg, opt, train_.clip_norm);
  }
}

double L2AugTrainer::meta_metric(recsys::SequentialRecommender& model) {
  model.eval();
  const MetaScores scores =
      score_meta(model, meta_cases_, split_.num_items(), train_.eval, objective_ == MetaObjective::loglik);
  model.train();
  return meta_value(objective_, config_.reward_k, scores);
}

PolicyStep L2AugTrainer::act(std::span<const std::span<const std::int32_t>> sequences, std::uint64_t stream,
                             bool record_graph) const {
  if (policy_kind_ == PolicyKind::learned)
    return run_policy(*policy_, sequences, correlation_.get(), false, config_.seed, stream, record_graph);
  return control_step(policy_kind_, *policy_, sequences, correlation_.get(), config_.seed, stream);
}

double L2AugTrainer::fine_tuned_meta(std::span<const SequenceRef> seqs, std::int64_t i) {
  // f' = a copy of the recommender and of its optimiser state, fine-tuned on `seqs`.
  shadow_->load_state_dict(model_.state_dict());
  shadow_optimizer_->copy_state_from(optimizer_);
  shadow_->dropout_rng().set_state({model_.config().seed, stream_of(i, kShadowDropout), 0});
  fine_tune(*shadow_, *shadow_optimizer_, seqs, stream_of(i, kFineTune), config_.fine_tune_steps);
  return meta_metric(*shadow_);
}

L2AugTrainer::SampledRewards L2AugTrainer::sample_rewards(std::int64_t i, bool record_graph) {
  SampledRewards out;
  out.rows = sample_rows(core_rows_, config_.batch, stream_of(i, kCoreBatch), {});
  const auto spans = spans_of(sequences_, out.rows);
  out.step = act(spans, stream_of(i, kActions), record_graph);
  out.samples.push_back(std::move(out.step.augmented));  // the step keeps its distributions, the draws move
  for (std::int64_t s = 1; s < config_.samples; ++s)
    out.samples.push_back(sample_again(out.step, spans, config_.augmentor.actions, correlation_.get(), config_.seed,
                                       sample_stream(i, s, kActions)));
  if (config_.paired) {
    std::vector<SequenceRef> originals;
    for (std::int32_t r : out.rows) originals.push_back(sequences_[size_t(r)]);
    out.meta_before = fine_tuned_meta(originals, i);
  } else {
    if (!meta_valid_) {
      meta_cached_ = meta_metric(model_);
      meta_valid_ = true;
    }
    out.meta_before = meta_cached_;
  }
  for (size_t s = 0; s < out.samples.size(); ++s) {
    out.meta_after.push_back(fine_tuned_meta(augmented_refs(out.samples[s], out.rows), i));
    out.rewards.push_back(out.meta_after.back() - out.meta_before);
  }
  return out;
}

std::vector<double> L2AugTrainer::sequence_credits(const std::vector<Augmented>& sample,
                                                   const std::vector<std::int32_t>& rows, std::int64_t i) {
  if (meta_direction_.empty())
    meta_direction_ = adam_scaled(optimizer_, meta_loglik_gradient(model_, meta_cases_, split_.num_items(), train_.eval));
  std::vector<SequenceRef> originals;
  for (std::int32_t r : rows) originals.push_back(sequences_[size_t(r)]);
  // The negatives of the fine-tune's first step, for both versions of every row.
  const recsys::NegativeSampling neg{config_.seed, stream_of(i, kFineTune) * 64, split_.num_items()};
  const std::int64_t maxlen = model_.config().maxlen;
  const std::vector<double> augmented =
      row_loss_slopes(*shadow_, model_, meta_direction_, augmented_refs(sample, rows), maxlen, neg, kCreditStep);
  const std::vector<double> original = row_loss_slopes(*shadow_, model_, meta_direction_, originals, maxlen, neg, kCreditStep);
  std::vector<double> credits(rows.size());
  for (size_t r = 0; r < rows.size(); ++r) credits[r] = -double(optimizer_.lr()) * (augmented[r] - original[r]);
  return credits;
}

L2AugLogRow L2AugTrainer::inner_step(std::int64_t i) {
  L2AugLogRow row;
  row.iteration = i;
  SampledRewards r = sample_rewards(i, policy_kind_ == PolicyKind::learned);
  row.meta_before = r.meta_before;
  for (size_t s = 0; s < r.rewards.size(); ++s) {
    row.meta_after += r.meta_after[s] / double(r.rewards.size());
    row.reward += r.rewards[s] / double(r.rewards.size());
  }
  if (policy_kind_ == PolicyKind::learned) {
    const ReinforceStats s = config_.credit == "sequence"
                                 ? reinforce_->update_per_sequence(r.step, r.samples[0], sequence_credits(r.samples[0], r.rows, i))
                                 : reinforce_->update(r.step, r.samples, r.rewards);
    row.advantage = s.advantage;
    row.baseline = s.baseline;
  }
  row.entropy = r.step.entropy;
  row.action_probs = r.step.mean_probs;
  return row;
}

void L2AugTrainer::replay(std::int64_t i) {
  // B synthetic sequences from other core users than this iteration's batch, and B originals
  // drawn uniformly from all (casual and core) users; one update of the recommender on both.
  const std::vector<std::int32_t> batch_rows = sample_rows(core_rows_, config_.batch, stream_of(i, kCoreBatch), {});
  const std::vector<std::int32_t> rows = sample_rows(core_rows_, config_.batch, stream_of(i, kReplayCore), batch_rows);
  const PolicyStep step = act(spans_of(sequences_, rows), stream_of(i, kReplayActions), false);
  std::vector<SequenceRef> refs = augmented_refs(step.augmented, rows);
  for (std::int32_t r : sample_rows(all_rows_, config_.batch, stream_of(i, kReplayOriginals), {}))
    refs.push_back(sequences_[size_t(r)]);
  model_.dropout_rng().set_state({model_.config().seed, stream_of(i, kReplayDropout), 0});
  fine_tune(model_, optimizer_, refs, stream_of(i, kReplayNegatives), 1);
  meta_valid_ = false;  // the recommender changed
  meta_direction_.clear();
}

void L2AugTrainer::validate_and_track(L2AugLogRow& row) {
  model_.eval();
  const recsys::SequentialRecommender& m = model_;
  const recsys::EvalResult r = recsys::evaluate([&](const recsys::EvalBatch& b) { return m.score_all_last(b.items, b.positions); },
                                                split_, recsys::EvalSet::validation, train_.eval);
  model_.train();
  row.validated = true;
  row.criterion = r.metrics.of(config_.criterion_group).value(config_.criterion);
  row.validation = r.metrics.to_json();
  if (run_.observe(row.criterion, row.iteration) && !dir_.empty())
    recsys::save_model((dir_ / "best.ckpt").string(), model_, split_);
}

void L2AugTrainer::save_checkpoint(std::int64_t next_iteration) {
  if (dir_.empty()) return;
  nn::StateDict s = recsys::model_state(model_, split_);
  s.merge("optim.", optimizer_.state());
  for (const auto& [k, t] : policy_->state_dict()) s.tensors["policy." + k] = t;
  s.merge("reinforce.", reinforce_->state());
  s.set("l2aug_config", config_.to_json().dump());
  s.set_int("l2aug.iteration", next_iteration);
  run_.save(s, "l2aug.", "best_iteration");
  s.set("l2aug.log", nlohmann::json(log_).dump());
  nn::save_checkpoint((dir_ / "l2aug_last.ckpt").string(), s);
}

void L2AugTrainer::resume(const std::filesystem::path& path) {
  const std::string file = path.string();
  const nn::StateDict s = nn::load_checkpoint(file);
  L2_CHECK(s.has("l2aug.iteration"), file << " holds no L2Aug training state");
  nn::read_checkpoint_entries(file, [&] {
    // The saved settings with today's defaults for any setting added since: a checkpoint written
    // before a new setting existed resumes when the run uses that setting's default.
    L2AugConfig saved;
    saved.apply_json(recsys::checkpoint_json(s, "l2aug_config"));
    recsys::check_resumable_settings(file, "L2Aug", saved.to_json(), config_.to_json(),
                                     {"iterations", "max_seconds", "checkpoint_seconds"});
    recsys::check_same_model_config(s, model_.config(), file);
    L2_CHECK(s.get_u64("data.fingerprint") == split_.dataset().fingerprint(), file << " was written for other data");
    model_.load_state_dict(s.extract("model.").tensors);
    optimizer_.load_state(s.extract("optim."));
    policy_->load_state_dict(s.extract("policy.").tensors);
    reinforce_->load_state(s.extract("reinforce."));
    iteration_ = s.get_int("l2aug.iteration");
    run_.load(s, "l2aug.", "best_iteration");
    log_ = recsys::checkpoint_json<std::vector<L2AugLogRow>>(s, "l2aug.log");
  });
  meta_valid_ = false;
  meta_direction_.clear();
}

recsys::TrainStatus L2AugTrainer::run() {
  if (!dir_.empty()) std::filesystem::create_directories(dir_);
  recsys::TrainStatus status = recsys::TrainStatus::epoch_limit;
  if (iteration_ == 0 && run_.best() < 0) {  // the pretrained recommender is the first candidate
    L2AugLogRow start;
    start.iteration = -1;
    validate_and_track(start);
    log_.push_back(start);
  }
  run_.checkpointed();
  const std::int64_t first_iteration = iteration_;
  for (; iteration_ < config_.iterations; ++iteration_) {
    if (recsys::stop_requested()) {
      status = recsys::TrainStatus::interrupted;
      break;
    }
    L2AugLogRow row = inner_step(iteration_);
    if (iteration_ % config_.replay_every == 0) {  // Algorithm 1, line 15
      replay(iteration_);
      row.replayed = true;
    }
    const bool validate = (iteration_ + 1) % config_.eval_every == 0;
    if (validate) validate_and_track(row);
    row.seconds = run_.seconds();
    log_.push_back(row);
    std::ostringstream os;
    os << "iteration " << iteration_ + 1 << "/" << config_.iterations << " reward " << row.reward << " entropy "
       << row.entropy << " p(" << action_name(config_.augmentor.actions[1]) << ") " << row.action_probs[1];
    if (validate) os << ", validation " << config_.criterion << " (" << config_.criterion_group << ") " << row.criterion
                     << (run_.improved() ? " (best)" : "");
    const double per_iteration = run_.progress().elapsed() / double(iteration_ + 1 - first_iteration);
    os << ", ETA at most " << recsys::format_duration(per_iteration * double(config_.iterations - iteration_ - 1));
    run_.progress().update(os.str(), validate);
    if (validate && run_.patience_exhausted(config_.patience)) {
      ++iteration_;
      status = recsys::TrainStatus::converged;
      break;
    }
    if (run_.out_of_time(config_.max_seconds)) {
      ++iteration_;
      status = recsys::TrainStatus::time_limit;
      break;
    }
    if (validate || run_.checkpoint_due(config_.checkpoint_seconds)) {
      save_checkpoint(iteration_ + 1);
      run_.checkpointed();
    }
  }
  save_checkpoint(iteration_);
  if (status != recsys::TrainStatus::interrupted) run_.restore_best();
  std::ostringstream os;
  os << recsys::train_status_name(status) << " after " << iteration_ << " iterations in "
     << recsys::format_duration(run_.seconds()) << "; best validation " << config_.criterion << " ("
     << config_.criterion_group << ") " << run_.best() << " at iteration " << run_.best_at();
  run_.progress().finish(os.str());
  return status;
}

std::string L2AugTrainer::log_csv() const {
  std::ostringstream os;
  os << "iteration,seconds,reward,advantage,baseline,entropy,meta_before,meta_after";
  for (Action a : config_.augmentor.actions) os << ",p_" << action_name(a);
  const std::vector<std::string> metrics = {"hr@10", "ndcg@10"};
  os << ",replayed,validated,criterion" << recsys::validation_csv_header(metrics) << "\n";
  for (const L2AugLogRow& r : log_) {
    os << r.iteration << "," << r.seconds << "," << r.reward << "," << r.advantage << "," << r.baseline << "," << r.entropy
       << "," << r.meta_before << "," << r.meta_after;
    for (size_t a = 0; a < config_.augmentor.actions.size(); ++a)
      os << "," << (a < r.action_probs.size() ? r.action_probs[a] : 0.0);
    os << "," << r.replayed << "," << r.validated << "," << (r.validated ? r.criterion : 0.0)
       << recsys::validation_csv_values(r.validated ? r.validation : nlohmann::json(), metrics) << "\n";
  }
  return os.str();
}

}  // namespace l2::method
