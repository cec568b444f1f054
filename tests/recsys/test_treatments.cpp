// The baseline treatments: Random with p = 0 reproduces the original sequences; the adversary's
// example weights have mean 2 over a batch; Focused Learning's step is the plain one with rho = 1
// and no regularisation, and its penalty reaches exactly the unfocused parameters; the
// Adversarial trainer leaves the adversary alone during warm-up, then weighs the losses by
// weights of mean 2 and moves the adversary so that the weighted loss rises.
#include <boost/test/unit_test.hpp>
#include <set>

#include "../common/test_util.h"
#include "recsys_test_util.h"
#include "autograd/gradcheck.h"
#include "recsys/data/prepare.h"
#include "recsys/treatments/adversarial.h"
#include "recsys/treatments/focused.h"
#include "recsys/treatments/random_drop.h"

using namespace l2;
using namespace l2::recsys;

namespace {

const Split& small_split() { return test::synthetic_split("synthetic:users=300,items=600,topics=6"); }

// Dropout off, so that two trainers on identical models compute identical steps.
std::unique_ptr<SequentialRecommender> small_model() {
  ModelConfig c = ModelConfig::defaults(ModelKind::sasrec);
  c.num_items = small_split().num_items();
  c.dim = 16;
  c.maxlen = 20;
  c.dropout = 0.0f;
  return make_model(c);
}

TrainConfig small_training() {
  TrainConfig t = TrainConfig::defaults(ModelKind::sasrec);
  t.lr = 0.01f;
  return t;
}

// A trainer with its step and its sequences in reach of the test.
template <class T>
struct Exposed : T {
  using T::T;
  using T::sequences_;
  using T::train_step;
};

SequenceBatch first_batch(const std::vector<SequenceRef>& seqs, std::int64_t n = 32) {
  std::vector<std::int32_t> rows;
  for (std::int32_t r = 0; r < std::int32_t(n); ++r) rows.push_back(r);
  return make_sequence_batch(seqs, rows, 20, NegativeSampling{1, 2, small_split().num_items()});
}

std::map<std::string, std::vector<float>> values_of(const nn::Module& m) {
  std::map<std::string, std::vector<float>> out;
  for (const auto& [name, p] : m.named_parameters()) out[name] = p->value.to_vector();
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(treatments_suite)

BOOST_AUTO_TEST_CASE(random_drop_with_p_zero_reproduces_the_original) {
  Generator g(1);
  const std::vector<std::int32_t> s = {4, 8, 15, 16, 23, 42};
  BOOST_TEST(random_drop(s, 0.0f, g) == s);
  // p near 1 still keeps 2 items (the most recent ones come back).
  BOOST_TEST((random_drop(s, 0.9999f, g) == std::vector<std::int32_t>{23, 42}));
  // Drop frequency matches p.
  double kept = 0;
  for (int t = 0; t < 2000; ++t) kept += double(random_drop(std::vector<std::int32_t>(20, 1), 0.3f, g).size());
  BOOST_TEST(std::fabs(kept / (2000.0 * 20.0) - 0.7) < 0.01);
}

BOOST_AUTO_TEST_CASE(adversary_weights_have_mean_two) {
  Tensor o = test::random_tensor(Shape{37}, 5, -3.0f, 3.0f);
  const Var lambda = example_weights(constant(o));
  double s = 0, lo = 1e9;
  for (std::int64_t i = 0; i < 37; ++i) {
    s += lambda->value[i];
    lo = std::min(lo, double(lambda->value[i]));
  }
  BOOST_TEST(std::fabs(s / 37.0 - 2.0) < 1e-5);
  BOOST_TEST(lo > 1.0);  // every example keeps at least its own weight
  const GradcheckResult g = gradcheck([](const std::vector<Var>& v) { return example_weights(v[0]); }, {o});
  BOOST_TEST(g.ok, g.report);
}

BOOST_AUTO_TEST_CASE(focused_with_rho_one_and_no_penalty_is_the_plain_step) {
  const Split& split = small_split();
  auto plain_model = small_model(), focused_model = small_model();
  Exposed<Trainer> plain(*plain_model, split, small_training());
  Exposed<FocusedTrainer> focused(*focused_model, split, small_training(), FocusedOptions{1.0f, 0.0f, 0.0f});
  BOOST_REQUIRE(plain.sequences_.size() == focused.sequences_.size());
  for (const SequenceRef& r : focused.sequences_) BOOST_TEST(r.weight == 1.0f);
  const SequenceBatch batch = first_batch(focused.sequences_);
  const float a = plain.train_step(batch), b = focused.train_step(batch);
  BOOST_TEST(test::bit_equal(&a, &b, sizeof a), "plain loss " << a << ", focused " << b);
  const auto pa = values_of(*plain_model), pb = values_of(*focused_model);
  for (const auto& [name, v] : pa) BOOST_TEST(test::bit_equal(v, pb.at(name)), name);

  // rho < 1 weighs core users' sequences (and only theirs) down.
  auto other = small_model();
  Exposed<FocusedTrainer> weighted(*other, split, small_training(), FocusedOptions{0.25f, 0.0f, 0.0f});
  for (const SequenceRef& r : weighted.sequences_)
    BOOST_TEST(r.weight == (split.group(r.user) == Group::core ? 0.25f : 1.0f));
}

// With lambda > 0 and lambda_focus = 0, the penalty is (lambda / 2) times the squared norm of the
// unfocused parameters: the item rows of items no casual user trained on, and every parameter
// other than the item table. It shows in the loss (value) and in the step: an element the plain
// step leaves alone moves under Focused Learning exactly when it is penalised (and not zero).
BOOST_AUTO_TEST_CASE(focused_penalty_reaches_exactly_the_unfocused_parameters) {
  const Split& split = small_split();
  const float lambda = 0.5f;
  auto plain_model = small_model(), focused_model = small_model();
  Exposed<Trainer> plain(*plain_model, split, small_training());
  Exposed<FocusedTrainer> focused(*focused_model, split, small_training(), FocusedOptions{1.0f, lambda, 0.0f});
  std::set<std::int32_t> focus;  // items of casual users' training sequences
  for (const SequenceRef& r : recommender_training_sequences(split))
    if (split.group(r.user) == Group::casual) focus.insert(r.items.begin(), r.items.end());
  const std::int64_t C = focused_model->config().dim, rows = split.num_items() + 1;
  BOOST_REQUIRE(std::int64_t(focus.size()) < rows - 1);  // some items are unfocused

  const Var table = focused_model->item_table().weight();
  auto penalised = [&](const Var& p, std::int64_t element) {
    return p != table || !focus.count(std::int32_t(element / C));
  };
  double expected = 0.0, focused_part = 0.0;
  for (const auto& [name, p] : focused_model->named_parameters())
    for (std::int64_t k = 0; k < p->value.numel(); ++k)
      (penalised(p, k) ? expected : focused_part) += 0.5 * lambda * double(p->value[k]) * double(p->value[k]);
  BOOST_REQUIRE(focused_part > 1e-2 * expected);  // penalising the focused rows too would show

  const auto before = values_of(*focused_model);
  const SequenceBatch batch = first_batch(focused.sequences_, 4);  // few items: most rows untouched by the loss
  const double a = plain.train_step(batch), b = focused.train_step(batch);
  BOOST_TEST(std::fabs((b - a) - expected) < 1e-4 * expected, "penalty " << b - a << ", expected " << expected);

  const auto after_plain = values_of(*plain_model), after_focused = values_of(*focused_model);
  std::int64_t checked_on = 0, checked_off = 0, wrong = 0;
  std::string first_wrong;
  for (const auto& [name, p] : focused_model->named_parameters()) {
    const auto &v0 = before.at(name), &vp = after_plain.at(name), &vf = after_focused.at(name);
    for (size_t k = 0; k < v0.size(); ++k) {
      if (vp[k] != v0[k]) continue;  // the loss itself moved it
      const bool should_move = penalised(p, std::int64_t(k)) && v0[k] != 0.0f;
      (should_move ? checked_on : checked_off) += 1;
      if ((vf[k] != v0[k]) != should_move && wrong++ == 0)
        first_wrong = name + "[" + std::to_string(k) + "] " + (should_move ? "stayed" : "moved");
    }
  }
  BOOST_TEST(wrong == 0, wrong << " elements wrong, the first " << first_wrong);
  BOOST_TEST(checked_on > 0);
  BOOST_TEST(checked_off > 0);
}

BOOST_AUTO_TEST_CASE(adversarial_trainer_warms_up_then_reweighs_and_the_adversary_ascends) {
  const Split& split = small_split();
  auto model = small_model();
  AdversarialOptions o;
  o.hidden = 8;
  o.lr = 0.1f;  // a step large enough that the rise is far above rounding, small enough to ascend
  o.warmup = 2;
  Exposed<AdversarialTrainer> t(*model, split, small_training(), o);
  const SequenceBatch batch = first_batch(t.sequences_);
  auto per_sequence = [&] {
    NoGradGuard no_grad;
    return next_item_loss_per_sequence(*model, batch);
  };
  auto weights = [&](const Tensor& features) {
    NoGradGuard no_grad;
    return example_weights(t.adversary().scores(constant(features)))->value;
  };
  auto weighted_mean = [](const Tensor& w, const Tensor& losses) {
    double s = 0.0;
    for (std::int64_t b = 0; b < losses.numel(); ++b) s += double(w[b]) * double(losses[b]);
    return s / double(losses.numel());
  };

  for (std::int64_t step = 0; step < o.warmup; ++step) {  // warm-up: lambda = 1, the adversary waits
    const auto adversary = values_of(t.adversary());
    const float plain = mean(per_sequence().losses)->value.item();
    const float loss = t.train_step(batch);
    BOOST_TEST(test::bit_equal(&loss, &plain, sizeof loss), "step " << step << ": " << loss << " vs " << plain);
    for (const auto& [name, v] : values_of(t.adversary())) BOOST_TEST(test::bit_equal(v, adversary.at(name)), name);
  }

  const PerSequenceLoss per = per_sequence();
  const Tensor features = adversary_input(per, *model, batch);
  const Tensor lambda = weights(features);
  double sum = 0.0;
  for (std::int64_t b = 0; b < lambda.numel(); ++b) sum += lambda[b];
  BOOST_TEST(std::fabs(sum / double(lambda.numel()) - 2.0) < 1e-5);
  const double before = weighted_mean(lambda, per.losses->value);
  const float loss = t.train_step(batch);  // the recommender's loss is weighted by lambda before the update
  BOOST_TEST(std::fabs(double(loss) - before) < 1e-5 * before, loss << " vs " << before);
  // The adversary's step raised the weighted loss of the same losses.
  const double after = weighted_mean(weights(features), per.losses->value);
  BOOST_TEST(after > before + 1e-5 * before, "weighted loss " << before << " -> " << after);
}

BOOST_AUTO_TEST_SUITE_END()
