// Algorithm 1 end to end on the synthetic platform: deterministic for a seed, resumable exactly,
// and the inner step's reward is the meta-set gain of the fine-tuned copy.
#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "../../common/test_util.h"
#include "../../recsys/recsys_test_util.h"
#include "../l2aug_test_util.h"
#include "l2aug/method/algorithm1.h"
#include "nn/checkpoint.h"
#include "recsys/data/prepare.h"
#include "tensor/functional.h"

using namespace l2;
using namespace l2::recsys;
namespace fs = std::filesystem;

using test::l2aug::Setup;
using test::l2aug::all_values;
using test::l2aug::split;

BOOST_AUTO_TEST_SUITE(algorithm1_suite)

BOOST_AUTO_TEST_CASE(a_short_run_is_deterministic_for_a_seed) {
  std::vector<std::vector<float>> models, policies;
  std::vector<std::string> logs;
  for (int run = 0; run < 2; ++run) {
    Setup s;
    method::L2AugTrainer t(*s.model, *s.adam, split(), s.train, s.l2);
    t.run();
    models.push_back(all_values(*s.model));
    policies.push_back(all_values(t.policy()));
    logs.push_back(t.log_csv());
    BOOST_TEST(t.log().size() == 13u);  // the initial validation and 12 iterations
  }
  BOOST_TEST(test::bit_equal(models[0], models[1]));
  BOOST_TEST(test::bit_equal(policies[0], policies[1]));
  // The logs agree but for the wall-clock column.
  auto strip = [](std::string csv) {
    std::string out;
    std::istringstream in(csv);
    std::string line;
    while (std::getline(in, line)) {
      const auto a = line.find(','), b = line.find(',', a + 1);
      out += line.substr(0, a) + line.substr(b) + "\n";
    }
    return out;
  };
  BOOST_TEST(strip(logs[0]) == strip(logs[1]));
}

BOOST_AUTO_TEST_CASE(the_reward_is_the_meta_gain_of_the_fine_tuned_copy) {
  Setup s;
  method::L2AugTrainer t(*s.model, *s.adam, split(), s.train, s.l2);
  const double before = t.meta_metric(*s.model);
  const std::vector<float> params = all_values(*s.model);
  const method::L2AugLogRow row = t.inner_step(0);
  BOOST_TEST(row.meta_before == before);
  BOOST_TEST(std::fabs(row.reward - (row.meta_after - row.meta_before)) < 1e-12);
  BOOST_TEST(test::bit_equal(params, all_values(*s.model)));  // the inner step never touches the recommender
  BOOST_TEST(row.action_probs.size() == 3u);
  t.replay(0);
  BOOST_TEST(!test::bit_equal(params, all_values(*s.model)));  // the replay does
}

// With the paper's estimator, and with the reward baseline and normalisation on: their running
// moments (doubles) must come back from the checkpoint with every bit (Note [Exact doubles]).
BOOST_AUTO_TEST_CASE(resume_continues_exactly) {
  for (const bool moments : {false, true}) {
    const fs::path dir = fs::temp_directory_path() / ("l2aug_alg1_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    auto with_options = [&](Setup& s) {
      s.l2.reinforce.baseline = moments;
      s.l2.reinforce.normalize = moments;
    };
    Setup straight;
    with_options(straight);
    method::L2AugTrainer a(*straight.model, *straight.adam, split(), straight.train, straight.l2);
    a.run();

    Setup first;
    with_options(first);
    first.l2.iterations = 5;
    {
      method::L2AugTrainer b(*first.model, *first.adam, split(), first.train, first.l2);
      b.set_checkpoint_dir(dir);
      b.run();
    }
    Setup second;  // fresh objects: everything comes from the checkpoint
    with_options(second);
    method::L2AugTrainer c(*second.model, *second.adam, split(), second.train, second.l2);
    c.resume(dir / "l2aug_last.ckpt");
    c.run();
    BOOST_TEST(c.iterations_done() == 12);
    BOOST_TEST(test::bit_equal(all_values(*straight.model), all_values(*second.model)), "baseline/normalize " << moments);
    BOOST_TEST(test::bit_equal(all_values(a.policy()), all_values(c.policy())), "baseline/normalize " << moments);
    BOOST_TEST(a.log().back().baseline == c.log().back().baseline, "baseline/normalize " << moments);
    fs::remove_all(dir);
  }
}

// An L2Aug checkpoint written before a setting existed (here `credit` and the model's `gru_init`)
// resumes with the setting's default; a damaged entry is an error naming the file and the entry.
BOOST_AUTO_TEST_CASE(an_l2aug_checkpoint_from_before_a_setting_existed_resumes_with_its_default) {
  const fs::path dir = fs::temp_directory_path() / ("l2aug_alg1_old_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  Setup first;
  first.l2.iterations = 3;
  {
    method::L2AugTrainer a(*first.model, *first.adam, split(), first.train, first.l2);
    a.set_checkpoint_dir(dir);
    a.run();
  }
  nn::StateDict s = nn::load_checkpoint((dir / "l2aug_last.ckpt").string());
  for (const auto& [entry, key] : {std::pair{"l2aug_config", "credit"}, std::pair{"model_config", "gru_init"}}) {
    nlohmann::json j = nlohmann::json::parse(s.get(entry));
    BOOST_REQUIRE(j.erase(key) == 1u);
    s.set(entry, j.dump());
  }
  const std::string old = (dir / "old.ckpt").string();
  nn::save_checkpoint(old, s);
  Setup second;
  second.l2.iterations = 3;
  method::L2AugTrainer b(*second.model, *second.adam, split(), second.train, second.l2);
  b.resume(old);
  BOOST_TEST(b.iterations_done() == 3);

  s.set("l2aug.log", "{}");
  nn::save_checkpoint(old, s);
  Setup third;
  method::L2AugTrainer c(*third.model, *third.adam, split(), third.train, third.l2);
  const std::string err = test::error_of([&] { c.resume(old); });
  BOOST_TEST(err.rfind(old + ": checkpoint entry 'l2aug.log'", 0) == 0u, err);
  fs::remove_all(dir);
}

// The fine-tune and replay steps clip like the trainer (Note [Gradient step] in nn/optim.h). On a
// fresh Adam the first step moves each parameter by lr g / (|g| + eps) (bias-corrected), so with
// the gradient clipped to a norm c the whole change has norm at most lr c / eps; unclipped, every
// parameter the batch reaches moves by about lr.
BOOST_AUTO_TEST_CASE(the_replay_step_honours_train_clip_norm) {
  for (const float clip : {0.0f, 1e-9f}) {
    Setup s;
    s.train.clip_norm = clip;
    method::L2AugTrainer t(*s.model, *s.adam, split(), s.train, s.l2);
    const std::vector<float> before = all_values(*s.model);
    t.replay(0);
    const std::vector<float> after = all_values(*s.model);
    double change = 0.0;
    for (size_t k = 0; k < before.size(); ++k) change += double(after[k] - before[k]) * double(after[k] - before[k]);
    change = std::sqrt(change);
    const double lr = s.adam->options().lr, bound = lr * 1e-9 / s.adam->options().eps;
    if (clip > 0.0f) BOOST_TEST(change <= bound * 1.01, "clipped change " << change << ", bound " << bound);
    else BOOST_TEST(change > 10.0 * lr, "unclipped change " << change);
  }
}

BOOST_AUTO_TEST_CASE(settings_are_checked) {
  method::L2AugConfig c;
  BOOST_CHECK_THROW(c.set("reward", "precision"), Error);
  BOOST_CHECK_THROW(c.set("policy", "greedy"), Error);
  BOOST_CHECK_THROW(c.set("samples", "0"), Error);
  c.set("baseline", "true");
  c.set("samples", "4");
  BOOST_CHECK_THROW(c.check_combination(), Error);  // leave-one-out replaces the moving baseline
  Setup s;
  s.l2 = c;
  BOOST_CHECK_THROW(method::L2AugTrainer(*s.model, *s.adam, split(), s.train, s.l2), Error);
  BOOST_CHECK_THROW(c.set("actions", "keep"), Error);
  BOOST_CHECK_THROW(c.set("batchsize", "3"), Error);
  c.set("actions", "keep,drop,insert,reorder");
  BOOST_TEST(c.augmentor.actions.size() == 4u);
}

// ---- estimators beyond the paper and the controls (Note [Estimators] in algorithm1.h) ----------

namespace {
std::vector<std::int32_t> original_items(std::int32_t row) {
  static const std::vector<SequenceRef> seqs = recommender_training_sequences(split());
  const auto items = seqs[size_t(row)].items;
  return {items.begin(), items.end()};
}
}  // namespace

BOOST_AUTO_TEST_CASE(the_keep_all_control_trains_on_the_original_batch_bit_for_bit) {
  Setup s;
  s.l2.policy = "keep_all";
  s.l2.paired = true;
  s.l2.samples = 3;
  method::L2AugTrainer t(*s.model, *s.adam, split(), s.train, s.l2);
  const std::vector<float> policy = all_values(t.policy());
  const method::L2AugTrainer::SampledRewards r = t.sample_rewards(0);
  BOOST_TEST(r.samples.size() == 3u);
  std::int64_t longer_than_window = 0;
  for (const auto& sample : r.samples)
    for (size_t b = 0; b < r.rows.size(); ++b) {
      BOOST_TEST(test::bit_equal(sample[b].items, original_items(r.rows[b])));
      longer_than_window += std::int64_t(sample[b].items.size()) > s.model->config().maxlen;
    }
  BOOST_TEST(longer_than_window > 0);  // items before the policy's window are kept too
  // Fine-tuning on the kept batch is the paired control's fine-tune, draw for draw: zero reward.
  for (double x : r.rewards) BOOST_TEST(x == 0.0);
  for (std::int64_t i = 0; i < 3; ++i) {
    const method::L2AugLogRow row = t.inner_step(i);
    BOOST_TEST(row.reward == 0.0);
    BOOST_TEST(row.action_probs[0] == 1.0);
  }
  BOOST_TEST(test::bit_equal(policy, all_values(t.policy())));  // a control never learns
}

BOOST_AUTO_TEST_CASE(the_uniform_control_draws_every_action_alike_and_never_learns) {
  Setup s;
  s.l2.policy = "uniform";
  method::L2AugTrainer t(*s.model, *s.adam, split(), s.train, s.l2);
  const std::vector<float> policy = all_values(t.policy());
  const method::L2AugTrainer::SampledRewards r = t.sample_rewards(0);
  std::vector<double> counts(3, 0.0);
  double n = 0.0;
  for (const method::Augmented& a : r.samples[0])
    for (std::int32_t act : a.actions) {
      counts[size_t(act)] += 1.0;
      n += 1.0;
    }
  BOOST_TEST(n > 300.0);
  for (double c : counts) BOOST_TEST(std::fabs(c / n - 1.0 / 3.0) < 0.08);
  for (std::int64_t i = 0; i < 3; ++i) {
    const method::L2AugLogRow row = t.inner_step(i);
    for (double p : row.action_probs) BOOST_TEST(std::fabs(p - 1.0 / 3.0) < 1e-6);
  }
  t.replay(0);
  BOOST_TEST(test::bit_equal(policy, all_values(t.policy())));
}

BOOST_AUTO_TEST_CASE(several_samples_share_the_batch_and_its_draws) {
  Setup one, three;
  three.l2.samples = 3;
  method::L2AugTrainer t1(*one.model, *one.adam, split(), one.train, one.l2);
  method::L2AugTrainer t3(*three.model, *three.adam, split(), three.train, three.l2);
  const method::L2AugTrainer::SampledRewards r1 = t1.sample_rewards(0), r3 = t3.sample_rewards(0);
  BOOST_TEST(r3.rewards.size() == 3u);
  BOOST_TEST(r1.rows == r3.rows);
  // The first sample is the paper's single sample, draw for draw, and so is its reward.
  for (size_t b = 0; b < r1.rows.size(); ++b) BOOST_TEST(r1.samples[0][b].actions == r3.samples[0][b].actions);
  BOOST_TEST(r1.rewards[0] == r3.rewards[0]);
  bool other_actions = false;
  for (size_t b = 0; b < r1.rows.size(); ++b) other_actions = other_actions || r3.samples[1][b].actions != r3.samples[0][b].actions;
  BOOST_TEST(other_actions);
}

BOOST_AUTO_TEST_CASE(the_paired_reward_is_the_gain_over_the_unaugmented_fine_tune) {
  Setup s;
  s.l2.paired = true;
  s.l2.reward = "loglik";  // smooth: the two fine-tunes differ in every digit
  method::L2AugTrainer t(*s.model, *s.adam, split(), s.train, s.l2);
  const double untouched = t.meta_metric(*s.model);
  const method::L2AugTrainer::SampledRewards r = t.sample_rewards(0);
  BOOST_TEST(r.meta_before != untouched);  // M of the copy fine-tuned on the original batch, not of f
  BOOST_TEST(r.rewards[0] == r.meta_after[0] - r.meta_before);
}

BOOST_AUTO_TEST_CASE(a_smooth_reward_moves_where_the_counts_do_not) {
  Setup s;
  s.l2.reward = "loglik";
  method::L2AugTrainer t(*s.model, *s.adam, split(), s.train, s.l2);
  const double before = t.meta_metric(*s.model);
  BOOST_TEST(before < 0.0);
  BOOST_TEST(before > -std::log(double(split().num_items())) - 1.0);  // an untrained model is near uniform
  const method::L2AugLogRow row = t.inner_step(0);
  BOOST_TEST(row.reward != 0.0);
  BOOST_TEST(std::isfinite(row.reward));
}

BOOST_AUTO_TEST_CASE(leave_one_out_updates_move_the_policy_towards_the_better_sample) {
  Setup s;
  const test::l2aug::PolicyOnSequences p(s);
  method::Augmentor& policy = *p.policy;
  const auto& spans = p.spans;
  method::Reinforce reinforce(policy, method::ReinforceOptions{1e-3f});
  {  // equal rewards: every leave-one-out advantage is 0, and the policy does not move
    method::PolicyStep step = method::run_policy(policy, spans, nullptr, false, 1, 1, true);
    const std::vector<std::vector<method::Augmented>> samples = {
        step.augmented, method::sample_again(step, spans, p.config.actions, nullptr, 1, 2)};
    const std::vector<float> before = all_values(policy);
    const double rewards[] = {0.25, 0.25};
    BOOST_TEST(reinforce.update(step, samples, rewards).advantage == 0.0);
    BOOST_TEST(test::bit_equal(before, all_values(policy)));
  }
  method::PolicyStep step = method::run_policy(policy, spans, nullptr, false, 1, 3, true);
  const std::vector<std::vector<method::Augmented>> samples = {
      step.augmented, method::sample_again(step, spans, p.config.actions, nullptr, 1, 4)};
  const double margin = p.log_prob(samples[0]) - p.log_prob(samples[1]);
  const double rewards[] = {1.0, 0.0};
  BOOST_TEST(reinforce.update(step, samples, rewards).advantage == 1.0);  // 1 - 0, and -1 for the other
  BOOST_TEST(p.log_prob(samples[0]) - p.log_prob(samples[1]) > margin);
}

BOOST_AUTO_TEST_SUITE_END()
