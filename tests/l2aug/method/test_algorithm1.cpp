// Algorithm 1 end to end on the synthetic platform: deterministic for a seed, resumable exactly,
// and the inner step's reward is the meta-set gain of the fine-tuned copy.
#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "../../common/test_util.h"
#include "../../recsys/recsys_test_util.h"
#include "l2aug/method/algorithm1.h"
#include "recsys/data/prepare.h"

using namespace l2;
using namespace l2::recsys;
namespace fs = std::filesystem;

namespace {

const Split& split() { return test::synthetic_split("synthetic:users=600,items=200,topics=8"); }

struct Setup {
  std::unique_ptr<SequentialRecommender> model;
  std::unique_ptr<nn::Adam> adam;
  TrainConfig train;
  method::L2AugConfig l2;
  Setup() {
    ModelConfig c = ModelConfig::defaults(ModelKind::sasrec);
    c.num_items = split().num_items();
    c.dim = 16;
    c.maxlen = 30;
    c.dropout = 0.2f;
    model = make_model(c);
    train = TrainConfig::defaults(ModelKind::sasrec);
    train.lr = 0.01f;
    adam = std::make_unique<nn::Adam>(model->named_parameters(), nn::AdamOptions{0.01f, 0.9f, 0.98f, 1e-8f, 0.0f, false, true});
    l2.batch = 32;
    l2.iterations = 12;
    l2.eval_every = 4;
    l2.replay_every = 3;
    l2.augmentor.dim = 8;
    l2.augmentor.actions = {method::Action::keep, method::Action::drop, method::Action::substitute};
  }
};

std::vector<float> all_values(const nn::Module& m) {
  std::vector<float> v;
  for (const auto& [n, p] : m.named_parameters()) v.insert(v.end(), p->value.data(), p->value.data() + p->value.numel());
  return v;
}

}  // namespace

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
  BOOST_CHECK_THROW(c.set("reward", "mrr"), Error);
  BOOST_CHECK_THROW(c.set("actions", "keep"), Error);
  BOOST_CHECK_THROW(c.set("batchsize", "3"), Error);
  c.set("actions", "keep,drop,insert,reorder");
  BOOST_TEST(c.augmentor.actions.size() == 4u);
}

BOOST_AUTO_TEST_SUITE_END()
