// Per-sequence credit (l2aug/method/sequence_credit.h): the meta log-likelihood's gradient against
// finite differences of the meta objective itself, each row's loss slope against that row's own
// backward pass, and the REINFORCE step and the trainer that use them.
#include <boost/test/unit_test.hpp>

#include <cmath>

#include "../../common/test_util.h"
#include "../l2aug_test_util.h"
#include "l2aug/method/sequence_credit.h"
#include "recsys/train/loss.h"
#include "tensor/functional.h"

using namespace l2;
using namespace l2::recsys;

using test::l2aug::Setup;
using test::l2aug::all_values;
using test::l2aug::split;

namespace {
// A direction of unit norm over the model's parameters, one tensor each.
std::vector<Tensor> random_direction(const nn::Module& m, std::uint64_t seed) {
  Generator g(seed, 1);
  std::vector<Tensor> d;
  double norm2 = 0.0;
  for (const auto& [name, p] : m.named_parameters()) {
    Tensor t = Tensor::empty(p->value.shape());
    for (std::int64_t j = 0; j < t.numel(); ++j) {
      t[j] = g.normal();
      norm2 += double(t[j]) * double(t[j]);
    }
    d.push_back(t);
  }
  for (Tensor& t : d)
    for (std::int64_t j = 0; j < t.numel(); ++j) t[j] = float(double(t[j]) / std::sqrt(norm2));
  return d;
}

double dot(const std::vector<Tensor>& a, const std::vector<Tensor>& b) {
  double s = 0.0;
  for (size_t k = 0; k < a.size(); ++k)
    for (std::int64_t j = 0; j < a[k].numel(); ++j) s += double(a[k][j]) * double(b[k][j]);
  return s;
}

// Sets the model's parameters to base + h * d.
void move_to(nn::Module& m, const std::map<std::string, Tensor>& base, const std::vector<Tensor>& d, double h) {
  const auto params = m.named_parameters();
  for (size_t k = 0; k < params.size(); ++k) {
    const Tensor& b = base.at(params[k].first);
    for (std::int64_t j = 0; j < b.numel(); ++j) params[k].second->value[j] = b[j] + float(h) * d[k][j];
  }
}

std::map<std::string, Tensor> snapshot(const nn::Module& m) {
  std::map<std::string, Tensor> s;
  for (const auto& [name, t] : m.state_dict()) s[name] = t.clone();
  return s;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(sequence_credit_suite)

// grad M . u against (M(θ + h u) - M(θ - h u)) / 2h, M the meta users' mean log-likelihood as the
// reward computes it (score_meta), with and without excluding history items.
BOOST_AUTO_TEST_CASE(the_meta_gradient_is_the_slope_of_the_meta_log_likelihood) {
  for (const bool exclude : {false, true}) {
    Setup s;
    const std::vector<EvalCase> cases = eval_cases(split(), EvalSet::meta);
    EvalOptions o;
    o.maxlen = s.model->config().maxlen;
    o.exclude_history = exclude;
    o.block = 37;  // several blocks, the last one partial
    const std::vector<Tensor> g = method::meta_loglik_gradient(*s.model, cases, split().num_items(), o);
    BOOST_TEST(s.model->training());  // its mode is restored
    const std::map<std::string, Tensor> theta = snapshot(*s.model);
    auto M = [&](double h, const std::vector<Tensor>& u) {
      move_to(*s.model, theta, u, h);
      s.model->eval();
      const method::MetaScores sc = method::score_meta(*s.model, cases, split().num_items(), o, true);
      return method::meta_value(method::MetaObjective::loglik, 10, sc);
    };
    for (std::uint64_t seed : {1, 2}) {
      const std::vector<Tensor> u = random_direction(*s.model, seed);
      const double h = 1e-2, numeric = (M(h, u) - M(-h, u)) / (2 * h), analytic = dot(g, u);
      BOOST_TEST(std::fabs(analytic) > 1e-4);
      BOOST_TEST(numeric == analytic, boost::test_tools::tolerance(2e-2));
    }
  }
}

// Every row's slope from the two shifted forward passes against the exact ∇ℓ_r . d from a backward
// pass of that row alone (its share of the whole batch's loss).
BOOST_AUTO_TEST_CASE(row_loss_slopes_are_each_rows_gradient_along_the_direction) {
  Setup s;
  const std::vector<SequenceRef> all = recommender_training_sequences(split());
  const std::vector<SequenceRef> seqs(all.begin(), all.begin() + 40);
  const NegativeSampling neg{3, 5, split().num_items()};
  const std::int64_t maxlen = s.model->config().maxlen;
  const std::vector<std::int64_t> lengths = input_lengths(seqs, maxlen);
  double count = 0.0;
  for (std::int64_t l : lengths) count += double(l);
  const std::vector<Tensor> d = random_direction(*s.model, 9);
  s.model->eval();
  std::vector<double> exact;
  for (std::int32_t r = 0; r < std::int32_t(seqs.size()); ++r) {
    const std::int32_t rows[] = {r};
    const SequenceBatch b = make_sequence_batch(seqs, rows, maxlen, neg);
    backward(scale(sum(next_item_loss_per_sequence(*s.model, b).losses), float(double(lengths[size_t(r)]) / count)));
    std::vector<Tensor> grad;
    for (const auto& [name, p] : s.model->named_parameters())
      grad.push_back(p->grad.defined() ? p->grad.clone() : Tensor::zeros(p->value.shape()));
    s.model->zero_grad();
    exact.push_back(dot(grad, d));
  }
  const std::vector<double> shares = method::row_loss_shares(*s.model, seqs, maxlen, neg);
  for (size_t r = 0; r < seqs.size(); ++r) BOOST_TEST(shares[r] > 0.0);
  ModelConfig c = s.model->config();
  std::unique_ptr<SequentialRecommender> scratch = make_model(c);
  const std::vector<float> before = all_values(*s.model);
  const std::vector<double> slopes = method::row_loss_slopes(*scratch, *s.model, d, seqs, maxlen, neg, 1e-2);
  BOOST_TEST(test::bit_equal(before, all_values(*s.model)));  // only the scratch model moved
  double largest = 0.0;
  for (double e : exact) largest = std::max(largest, std::fabs(e));
  BOOST_TEST(largest > 0.0);
  for (size_t r = 0; r < seqs.size(); ++r)
    BOOST_TEST(std::fabs(slopes[r] - exact[r]) <= 2e-2 * largest, "row " << r << ": " << slopes[r] << " vs " << exact[r]);
  std::vector<Tensor> zeros;
  for (const Tensor& t : d) zeros.push_back(Tensor::zeros(t.shape()));
  for (double v : method::row_loss_slopes(*scratch, *s.model, zeros, seqs, maxlen, neg, 1e-2)) BOOST_TEST(v == 0.0);
}

// The objective of a per-sequence step is sum_r A_r log pi(actions of r): with +1 credit for row 0,
// -1 for row 1 and 0 elsewhere, one step raises log pi(row 0) - log pi(row 1).
BOOST_AUTO_TEST_CASE(a_per_sequence_step_favours_the_rows_with_more_credit) {
  Setup s;
  const test::l2aug::PolicyOnSequences p(s);
  method::PolicyStep step = method::run_policy(*p.policy, p.spans, nullptr, false, 1, 3, true);
  const std::vector<method::Augmented> sample = step.augmented;
  const double margin = p.log_prob(sample, 0) - p.log_prob(sample, 1);
  std::vector<double> credits(16, 0.0);
  credits[0] = 1e-6;
  credits[1] = -1e-6;
  method::Reinforce reinforce(*p.policy, method::ReinforceOptions{1e-3f});
  const method::ReinforceStats st = reinforce.update_per_sequence(step, sample, credits);
  BOOST_TEST(st.reward == 0.0);
  BOOST_TEST(st.advantage > 0.0);
  BOOST_TEST(p.log_prob(sample, 0) - p.log_prob(sample, 1) > margin);
  std::vector<double> wrong(3, 0.0);
  method::PolicyStep again = method::run_policy(*p.policy, p.spans, nullptr, false, 1, 4, true);
  BOOST_TEST(test::error_of([&] { reinforce.update_per_sequence(again, again.augmented, wrong); })
                 .find("3 credits for 16 sequences") != std::string::npos);
}

// In Algorithm 1: an unedited row gets exactly no credit; the credited step moves the policy and
// leaves the recommender alone; the setting needs the log-likelihood reward and one sample.
BOOST_AUTO_TEST_CASE(the_trainer_credits_each_sequence_of_its_batch) {
  Setup s;
  s.l2.reward = "loglik";
  s.l2.credit = "sequence";
  method::L2AugTrainer t(*s.model, *s.adam, split(), s.train, s.l2);
  const method::L2AugTrainer::SampledRewards r = t.sample_rewards(0);
  std::vector<method::Augmented> unedited = r.samples[0];
  for (size_t row = 0; row < unedited.size(); ++row) {
    const auto items = recommender_training_sequences(split())[size_t(r.rows[row])].items;
    unedited[row].items.assign(items.begin(), items.end());
  }
  for (double c : t.sequence_credits(unedited, r.rows, 0)) BOOST_TEST(c == 0.0);
  const std::vector<double> credits = t.sequence_credits(r.samples[0], r.rows, 0);
  std::int64_t edited = 0, credited = 0;
  for (size_t row = 0; row < credits.size(); ++row) {
    BOOST_TEST(std::isfinite(credits[row]));
    edited += r.samples[0][row].items != unedited[row].items;
    credited += credits[row] != 0.0;
  }
  BOOST_TEST(edited > 0);
  BOOST_TEST(credited == edited);
  const std::vector<float> model = all_values(*s.model), policy = all_values(t.policy());
  t.inner_step(0);
  BOOST_TEST(test::bit_equal(model, all_values(*s.model)));
  BOOST_TEST(!test::bit_equal(policy, all_values(t.policy())));

  Setup bad;
  bad.l2.credit = "sequence";
  const std::string why = test::error_of([&] { method::L2AugTrainer(*bad.model, *bad.adam, split(), bad.train, bad.l2); });
  BOOST_TEST(why.find("credit=sequence") != std::string::npos, why);
  BOOST_TEST(why.find("reward=loglik") != std::string::npos, why);
}

BOOST_AUTO_TEST_SUITE_END()
