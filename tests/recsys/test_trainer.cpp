// Training end to end on the synthetic platform: every model clearly beats popularity on held-out
// data; resuming from a checkpoint continues exactly, the best validation value included;
// bucketing changes no loss value; a step in length buckets is the whole batch's step.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <functional>

#include "../common/test_util.h"
#include "recsys_test_util.h"
#include "nn/checkpoint.h"
#include "recsys/data/prepare.h"
#include "recsys/eval/popularity.h"
#include "recsys/train/loss.h"
#include "recsys/train/step.h"
#include "recsys/train/trainer.h"

using namespace l2;
using namespace l2::recsys;
namespace fs = std::filesystem;

namespace {

const Split& synthetic_split() { return test::synthetic_split("synthetic"); }

ModelConfig quick_model(ModelKind kind) {
  ModelConfig c = ModelConfig::defaults(kind);
  c.num_items = synthetic_split().num_items();
  c.dim = 32;
  c.hidden = 32;
  c.maxlen = 50;
  c.dilations = {1, 2};
  c.dropout = kind == ModelKind::nextitnet ? 0.0f : 0.2f;
  return c;
}

TrainConfig quick_training() {
  TrainConfig t = TrainConfig::defaults(ModelKind::sasrec);
  t.batch_size = 128;
  t.lr = 0.005f;
  t.epochs = 30;
  t.eval_every = 5;
  t.patience = 3;
  return t;
}

double test_hr10(const ScoreFn& score, const Split& split) {
  EvalOptions o;
  o.maxlen = 50;
  return evaluate(score, split, EvalSet::test, o).metrics.all.hr_at(10);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(trainer_suite)

BOOST_AUTO_TEST_CASE(every_model_clearly_beats_popularity_on_held_out_data, *boost::unit_test::label("learning")) {
  const Split& split = synthetic_split();
  const double pop = test_hr10(popularity_scorer(split), split);
  for (ModelKind kind : {ModelKind::sasrec, ModelKind::gru4rec, ModelKind::nextitnet}) {
    auto model = make_model(quick_model(kind));
    Trainer trainer(*model, split, quick_training());
    trainer.run();
    model->eval();
    const SequentialRecommender& m = *model;
    const double hr = test_hr10([&](const EvalBatch& b) { return m.score_all_last(b.items, b.positions); }, split);
    BOOST_TEST_MESSAGE(model_kind_name(kind) << ": test HR@10 " << hr << " vs popularity " << pop);
    BOOST_TEST(hr > 3.0 * pop, model_kind_name(kind) << ": test HR@10 " << hr << " vs popularity " << pop);
  }
}

// N steps, checkpoint, a new trainer resumes, M steps == N + M steps straight, bit for bit
// (parameters, Adam state, dropout generator, data order and negatives mid-epoch).
// train.lazy_adam reaches the trainer's optimiser: lazy by default (Note [Lazy Adam]), dense when
// false (as torch.optim.Adam, for comparisons with PyTorch models).
BOOST_AUTO_TEST_CASE(lazy_adam_setting_reaches_the_optimiser) {
  auto model = make_model(quick_model(ModelKind::gru4rec));
  TrainConfig t = quick_training();
  BOOST_TEST(t.lazy_adam);
  BOOST_TEST(Trainer(*model, synthetic_split(), t).optimizer().options().lazy_rows);
  t.set("lazy_adam", "false");
  BOOST_TEST(!Trainer(*model, synthetic_split(), t).optimizer().options().lazy_rows);
}

BOOST_AUTO_TEST_CASE(resume_continues_exactly_mid_epoch) {
  const Split& split = synthetic_split();
  TrainConfig t = quick_training();
  t.eval_every = 1000;  // no validation: parameters after run() are the trained ones
  const fs::path dir = fs::temp_directory_path() / ("l2aug_resume_" + std::to_string(::getpid()));
  fs::remove_all(dir);

  auto straight = make_model(quick_model(ModelKind::sasrec));
  t.max_steps = 23;  // 16 batches per epoch: stops inside the second epoch
  Trainer a(*straight, split, t);
  a.run();

  auto first = make_model(quick_model(ModelKind::sasrec));
  t.max_steps = 9;
  Trainer b(*first, split, t);
  b.set_checkpoint_dir(dir);
  BOOST_TEST((b.run() == TrainStatus::step_limit));

  auto resumed = make_model(quick_model(ModelKind::sasrec));
  t.max_steps = 23;
  Trainer c(*resumed, split, t);
  c.resume(dir / "last.ckpt");
  c.run();
  BOOST_TEST(c.steps() == 23);
  auto ps = straight->state_dict(), pr = resumed->state_dict();
  for (auto& [name, v] : ps) BOOST_TEST(test::bit_equal(v.to_vector(), pr.at(name).to_vector()), name);

  // A checkpoint of another configuration is refused.
  TrainConfig other = t;
  other.lr = 0.01f;
  auto m2 = make_model(quick_model(ModelKind::sasrec));
  Trainer d(*m2, split, other);
  BOOST_CHECK_THROW(d.resume(dir / "last.ckpt"), Error);
  fs::remove_all(dir);
}

// A checkpoint keeps its model and training settings as JSON. One written before a setting existed
// lacks it; the resume reads it with the setting's default, so the run continues when it uses the
// default and is refused when it does not. A damaged entry is an error naming the file and the entry.
BOOST_AUTO_TEST_CASE(a_checkpoint_from_before_a_setting_existed_resumes_with_its_default) {
  const Split& split = synthetic_split();
  TrainConfig t = quick_training();
  t.eval_every = 1000;
  t.max_steps = 3;
  const fs::path dir = fs::temp_directory_path() / ("l2aug_old_settings_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto first = make_model(quick_model(ModelKind::sasrec));
  Trainer a(*first, split, t);
  a.set_checkpoint_dir(dir);
  a.run();
  const nn::StateDict written = nn::load_checkpoint((dir / "last.ckpt").string());
  const std::string old = (dir / "old.ckpt").string();
  const auto write_edited = [&](const std::function<void(nn::StateDict&)>& edit) {
    nn::StateDict s = written;
    edit(s);
    nn::save_checkpoint(old, s);
  };
  const auto without = [](nn::StateDict& s, const std::string& entry, const char* key) {
    nlohmann::json j = nlohmann::json::parse(s.get(entry));
    BOOST_REQUIRE(j.erase(key) == 1u);
    s.set(entry, j.dump());
  };
  write_edited([&](nn::StateDict& s) {
    without(s, "model_config", "gru_init");
    without(s, "train_config", "lazy_adam");
  });
  auto resumed = make_model(quick_model(ModelKind::sasrec));
  Trainer b(*resumed, split, t);
  b.resume(old);
  BOOST_TEST(b.steps() == 3);

  TrainConfig dense = t;
  dense.lazy_adam = false;  // not the default the old checkpoint is read with
  auto other = make_model(quick_model(ModelKind::sasrec));
  const std::string refused = test::error_of([&] { Trainer(*other, split, dense).resume(old); });
  BOOST_TEST(refused.rfind(old + " was written with other training settings", 0) == 0u, refused);

  const auto error_resuming = [&](const std::function<void(nn::StateDict&)>& edit) {
    write_edited(edit);
    auto m = make_model(quick_model(ModelKind::sasrec));
    return test::error_of([&] { Trainer(*m, split, t).resume(old); });
  };
  for (const auto& entry : std::vector<std::pair<std::string, std::string>>{
           {"train_config", "{\"lr\": "}, {"trainer.log", "[1, 2]"}, {"model_config", "{"}}) {
    const std::string err = error_resuming([&](nn::StateDict& s) { s.set(entry.first, entry.second); });
    BOOST_TEST(err.rfind(old + ": checkpoint entry '" + entry.first + "'", 0) == 0u, err);
  }
  std::string err = error_resuming([&](nn::StateDict& s) { s.values.erase("trainer.loss_sum"); });
  BOOST_TEST(err == old + ": checkpoint: missing entry 'trainer.loss_sum'", err);
  err = error_resuming([&](nn::StateDict& s) { s.set_int("trainer.final_status", 99); });
  BOOST_TEST(err.rfind(old + ": checkpoint entry 'trainer.final_status' holds 99", 0) == 0u, err);
  err = error_resuming([&](nn::StateDict& s) { without(s, "model_config", "dim"); });  // the default, 100, is not 32
  BOOST_TEST(err.rfind(old + " was written for another model configuration", 0) == 0u, err);
  fs::remove_all(dir);
}

// The best validation value comes back from last.ckpt with every bit (Note [Exact doubles]): a
// resumed run compares later validations with exactly the value the uninterrupted one would.
BOOST_AUTO_TEST_CASE(the_best_validation_value_is_checkpointed_exactly) {
  const Split& split = synthetic_split();
  TrainConfig t = quick_training();
  t.epochs = 1;
  t.eval_every = 1;
  const fs::path dir = fs::temp_directory_path() / ("l2aug_best_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto model = make_model(quick_model(ModelKind::sasrec));
  Trainer a(*model, split, t);
  a.set_checkpoint_dir(dir);
  a.run();
  const double best = a.best_criterion();
  BOOST_REQUIRE(best > 0.0);
  const double stored = nn::load_checkpoint((dir / "last.ckpt").string()).get_double("trainer.best");
  BOOST_TEST(test::bit_equal(&stored, &best, sizeof best), "stored " << stored << ", best " << best);
  auto again = make_model(quick_model(ModelKind::sasrec));
  Trainer b(*again, split, t);
  b.resume(dir / "last.ckpt");
  const double resumed = b.best_criterion();
  BOOST_TEST(test::bit_equal(&resumed, &best, sizeof best), "resumed " << resumed << ", best " << best);
  fs::remove_all(dir);
}

// Bucketing trims padding columns; the loss of a sequence must not change with them (dropout off).
BOOST_AUTO_TEST_CASE(bucketing_changes_no_loss_value) {
  const Split& split = synthetic_split();
  for (ModelKind kind : {ModelKind::sasrec, ModelKind::gru4rec, ModelKind::nextitnet}) {
    auto model = make_model(quick_model(kind));
    model->eval();
    const std::vector<SequenceRef> seqs = recommender_training_sequences(split);
    // A short sequence alone (a narrow batch) and together with a long one (a wide, padded batch).
    std::int32_t short_row = -1, long_row = -1;
    for (size_t i = 0; i < seqs.size(); ++i) {
      if (short_row < 0 && seqs[i].items.size() == 4) short_row = std::int32_t(i);
      if (long_row < 0 && seqs[i].items.size() >= 30) long_row = std::int32_t(i);
    }
    BOOST_REQUIRE((short_row >= 0 && long_row >= 0));
    const NegativeSampling neg{1, 2, split.num_items()};
    const std::vector<std::int32_t> alone = {short_row}, together = {short_row, long_row};
    const SequenceBatch narrow = make_sequence_batch(seqs, alone, 50, neg);
    SequenceBatch wide = make_sequence_batch(seqs, together, 50, neg);
    BOOST_TEST(narrow.T < wide.T);
    // The short sequence's loss (the mean over its positions) is the same in the narrow batch and
    // in the wide one, where it sits behind extra padding columns.
    const auto a = next_item_loss_per_sequence(*model, narrow), b = next_item_loss_per_sequence(*model, wide);
    BOOST_TEST(std::fabs(a.losses->value[0] - b.losses->value[0]) < 1e-5, model_kind_name(kind));
  }
}

// Note [Length buckets within a step]: the buckets hold every row once, ascending by length, and
// pad far less than one batch as wide as its longest row.
BOOST_AUTO_TEST_CASE(length_buckets_hold_every_row_once_and_cut_padding) {
  const std::vector<SequenceRef> seqs = recommender_training_sequences(synthetic_split());
  std::vector<std::int32_t> rows;
  for (size_t r = 0; r < seqs.size() && rows.size() < 300; r += 3) rows.push_back(std::int32_t(r));
  const auto length = [&](std::int32_t r) { return std::min<std::int64_t>(std::int64_t(seqs[size_t(r)].items.size()) - 1, 50); };
  std::vector<SequenceRef> batch;
  for (std::int32_t r : rows) batch.push_back(seqs[size_t(r)]);
  std::vector<std::vector<std::int32_t>> buckets = length_buckets(input_lengths(batch, 50));
  for (auto& b : buckets)
    for (std::int32_t& r : b) r = rows[size_t(r)];
  BOOST_TEST(buckets.size() > 1u);
  std::vector<std::int32_t> seen;
  std::int64_t padded = 0, longest = 0, previous = 0;
  for (const auto& b : buckets) {
    BOOST_TEST(b.size() >= 16u);
    std::int64_t widest = 0;
    for (std::int32_t r : b) {
      BOOST_TEST(length(r) >= previous);  // ascending within and across buckets
      previous = length(r);
      widest = std::max(widest, length(r));
      seen.push_back(r);
    }
    padded += widest * std::int64_t(b.size());
    longest = std::max(longest, widest);
  }
  std::vector<std::int32_t> sorted_rows = rows;
  std::sort(sorted_rows.begin(), sorted_rows.end());
  std::sort(seen.begin(), seen.end());
  BOOST_TEST(seen == sorted_rows, boost::test_tools::per_element());
  BOOST_TEST(double(padded) < 0.8 * double(longest) * double(rows.size()));
}

// With dropout off and plain SGD (lr 1, no clipping) a step moves the parameters by minus the
// gradient: the bucketed step's must equal the whole batch's, up to the order of float additions.
BOOST_AUTO_TEST_CASE(a_step_in_length_buckets_is_the_whole_batch_step) {
  const Split& split = synthetic_split();
  const std::vector<SequenceRef> seqs = recommender_training_sequences(split);
  std::vector<std::int32_t> rows;
  for (size_t r = 0; r < seqs.size() && rows.size() < 200; r += 2) rows.push_back(std::int32_t(r));
  const NegativeSampling neg{3, 4, split.num_items()};
  for (ModelKind kind : {ModelKind::sasrec, ModelKind::gru4rec, ModelKind::nextitnet}) {
    ModelConfig c = quick_model(kind);
    c.dropout = 0.0f;
    auto whole = make_model(c), bucketed = make_model(c);
    nn::SGD opt_whole(whole->named_parameters(), {1.0f, 0.0f, 0.0f}),
        opt_bucketed(bucketed->named_parameters(), {1.0f, 0.0f, 0.0f});
    const float loss_whole = next_item_step(*whole, make_sequence_batch(seqs, rows, 50, neg), opt_whole, 0.0f);
    const float loss_bucketed = next_item_step(*bucketed, seqs, rows, 50, neg, opt_bucketed, 0.0f);
    BOOST_TEST(std::fabs(loss_whole - loss_bucketed) < 1e-5f * std::fabs(loss_whole), model_kind_name(kind));
    const auto a = whole->state_dict(), b = bucketed->state_dict(), start = make_model(c)->state_dict();
    for (const auto& [name, t] : a) {
      float step = 0.0f, diff = 0.0f;
      for (std::int64_t i = 0; i < t.numel(); ++i) {
        step = std::max(step, std::fabs(t[i] - start.at(name)[i]));
        diff = std::max(diff, std::fabs(t[i] - b.at(name)[i]));
      }
      BOOST_TEST(step > 0.0f, model_kind_name(kind) << " " << name << " did not move");
      BOOST_TEST(diff <= 1e-4f * step + 1e-7f, model_kind_name(kind) << " " << name << ": " << diff << " against a step of " << step);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
