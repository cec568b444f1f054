// The three recommenders: against PyTorch reference values (bench/reference/make_model_fixtures.py),
// padding and causality properties, and the loss on a hand-computed example.
#include <algorithm>
#include <cmath>

#include <boost/test/unit_test.hpp>

#include "../common/fixture.h"
#include "../common/test_util.h"
#include "nn/optim.h"
#include "nn/checkpoint.h"
#include "recsys/json_int.h"
#include "recsys/models/model_file.h"
#include "recsys/models/nextitnet_block.h"
#include "recsys/models/recommender.h"
#include "recsys/train/loss.h"
#include "recsys_test_util.h"
#include "recsys/train/train_config.h"

using namespace l2;
using namespace l2::recsys;
using namespace l2::test;

namespace {

ModelConfig small_config(ModelKind kind) {
  ModelConfig c = ModelConfig::defaults(kind);
  c.num_items = 20;
  c.dim = 8;
  c.maxlen = 10;
  c.dropout = 0.0f;
  c.heads = 2;
  c.hidden = 6;
  c.dilations = {1, 2};
  return c;
}

SequenceBatch batch_from(const std::map<std::string, Tensor>& f) {
  SequenceBatch b;
  b.items = to_index(f.at("items"));
  b.positions = to_index(f.at("positions"));
  b.targets = to_index(f.at("targets"));
  b.negatives = to_index(f.at("negatives"));
  b.weights = f.at("weights").clone();
  b.B = b.items.dim(0);
  b.T = b.items.dim(1);
  b.maxlen = 10;
  return b;
}

// A recommender whose hidden state is a fixed tensor: the loss can then be computed by hand.
struct FixedHidden : SequentialRecommender {
  Tensor h;
  FixedHidden(const ModelConfig& c, Tensor hidden) : SequentialRecommender(c), h(std::move(hidden)) {}
  Var hidden(const IndexTensor&, const IndexTensor&) const override { return constant(h); }
};


// What load_model says of a model file holding `s` ("" when it loads).
std::string load_model_error(const nn::StateDict& s, const std::string& name) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("l2aug_test_" + name + "_" + std::to_string(::getpid()) + ".ckpt")).string();
  nn::save_checkpoint(path, s);
  const std::string err = test::error_of([&] { load_model(path); });
  std::filesystem::remove(path);
  return err;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(models_suite)

BOOST_AUTO_TEST_CASE(models_match_pytorch_loss_gradients_and_scores) {
  for (ModelKind kind : {ModelKind::sasrec, ModelKind::gru4rec, ModelKind::nextitnet}) {
    const std::string name = model_kind_name(kind);
    const auto f = load_fixture("recsys/fixtures/model_" + name + ".txt");
    auto model = make_model(small_config(kind));
    std::map<std::string, Tensor> state;
    for (auto& [k, v] : model->named_parameters()) state[k] = f.at(k);
    model->load_state_dict(state);
    model->eval();
    const SequenceBatch b = batch_from(f);
    Var loss = next_item_loss(*model, b);
    BOOST_TEST(std::fabs(loss->value.item() - f.at("loss")[0]) < 2e-5,
               name << " loss " << loss->value.item() << " vs " << f.at("loss")[0]);
    backward(loss);
    for (auto& [k, v] : model->named_parameters())
      BOOST_TEST(max_rel_err(v->grad.data(), f.at("grad." + k).data(), v->grad.numel()) < 5e-5, name << " grad " << k);
    Tensor s = model->score_all_last(b.items, b.positions);
    BOOST_TEST(max_rel_err(s.data(), f.at("scores_last").data(), s.numel()) < 2e-5, name << " scores");
  }
}

// Changing the amount of padding in front of a sequence, or a later item, changes nothing a real
// position before it sees.
BOOST_AUTO_TEST_CASE(padding_and_future_items_never_influence_a_position) {
  for (ModelKind kind : {ModelKind::sasrec, ModelKind::gru4rec, ModelKind::nextitnet}) {
    auto model = make_model(small_config(kind));
    model->eval();
    const std::vector<std::int32_t> seq = {4, 9, 2, 17, 6};
    auto run = [&](std::int64_t T, std::int32_t last) {
      IndexTensor items = IndexTensor::zeros(Shape{1, T}), pos = IndexTensor::zeros(Shape{1, T});
      for (std::int64_t t = 0; t < T; ++t) pos[t] = std::int32_t(10 - T + t);
      for (size_t k = 0; k < seq.size(); ++k) items[T - std::int64_t(seq.size()) + std::int64_t(k)] = seq[k];
      items[T - 1] = last;
      return model->hidden(items, pos)->value;
    };
    const Tensor a = run(5, 6), b = run(9, 6), c = run(9, 13);
    const std::int64_t C = 8;
    for (std::int64_t t = 0; t < 5; ++t)
      for (std::int64_t k = 0; k < C; ++k) {
        BOOST_REQUIRE(std::fabs(a[t * C + k] - b[(t + 4) * C + k]) < 1e-5f);  // four more padding slots
        if (t < 4) BOOST_REQUIRE(b[(t + 4) * C + k] == c[(t + 4) * C + k]);   // a different last item
      }
    for (std::int64_t k = 0; k < 4 * C; ++k) BOOST_REQUIRE(b[k] == 0.0f);  // padding rows are zero
  }
}

// NextItNet's optional dropout (the original has none): the same weights as without it, identity
// in evaluation, and in training it drops entries but keeps padding rows zero.
BOOST_AUTO_TEST_CASE(nextitnet_dropout_is_off_by_default_and_keeps_padding_zero) {
  ModelConfig plain = small_config(ModelKind::nextitnet), dropped = plain;
  dropped.dropout = 0.5f;
  auto a = make_model(plain), b = make_model(dropped);
  IndexTensor items = IndexTensor::zeros(Shape{2, 6}), pos = IndexTensor::zeros(Shape{2, 6});
  for (std::int64_t t = 2; t < 12; ++t) items[t] = std::int32_t(1 + t % 19);
  a->eval();
  b->eval();
  BOOST_TEST(bit_equal(a->hidden(items, pos)->value, b->hidden(items, pos)->value));
  BOOST_TEST(bit_equal(a->score_all_last(items, pos), b->score_all_last(items, pos)));
  b->train();
  const Tensor h = b->hidden(items, pos)->value, h0 = a->hidden(items, pos)->value;
  std::int64_t zeroed = 0;
  for (std::int64_t k = 0; k < h.numel(); ++k) zeroed += h[k] == 0.0f && h0[k] != 0.0f;
  BOOST_TEST(zeroed > 0);
  for (std::int64_t k = 0; k < 2 * 8; ++k) BOOST_TEST(h[k] == 0.0f);  // row 0's two padding steps
}

// GRU4Rec's dropout placement (model.dropout_at): the same weights either way and no effect in
// evaluation; in training, "output" zeroes entries of the GRU's states (hidden == dim: no
// projection after it) while "input" drops embeddings before the recurrence, which then mixes every
// entry; padding steps stay zero with both.
BOOST_AUTO_TEST_CASE(gru4rec_dropout_applies_to_the_output_or_the_input) {
  ModelConfig plain = small_config(ModelKind::gru4rec);
  plain.hidden = plain.dim;
  ModelConfig on_output = plain, on_input = plain;
  on_output.dropout = on_input.dropout = 0.5f;
  on_input.dropout_at = GruDropout::input;
  BOOST_TEST((ModelConfig::defaults(ModelKind::gru4rec).dropout_at == GruDropout::output));  // the original's
  auto a = make_model(plain), out = make_model(on_output), in = make_model(on_input);
  BOOST_TEST(bit_equal(out->state_dict().at("gru.weight_ih"), in->state_dict().at("gru.weight_ih")));
  IndexTensor items = IndexTensor::zeros(Shape{2, 6}), pos = IndexTensor::zeros(Shape{2, 6});
  for (std::int64_t t = 2; t < 12; ++t) items[t] = std::int32_t(1 + t % 19);
  for (auto* m : {a.get(), out.get(), in.get()}) m->eval();
  BOOST_TEST(bit_equal(a->hidden(items, pos)->value, in->hidden(items, pos)->value));
  BOOST_TEST(bit_equal(a->score_all_last(items, pos), in->score_all_last(items, pos)));
  BOOST_TEST(bit_equal(a->score_all_last(items, pos), out->score_all_last(items, pos)));
  out->train();
  in->train();
  const Tensor h0 = a->hidden(items, pos)->value, ho = out->hidden(items, pos)->value, hi = in->hidden(items, pos)->value;
  const std::int64_t C = plain.dim;
  std::int64_t zeroed_out = 0, zeroed_in = 0, changed_in = 0;
  for (std::int64_t k = 2 * C; k < h0.numel(); ++k) {  // every step but row 0's two padding steps
    zeroed_out += ho[k] == 0.0f && h0[k] != 0.0f;
    zeroed_in += hi[k] == 0.0f && h0[k] != 0.0f;
    changed_in += hi[k] != h0[k];
  }
  BOOST_TEST(zeroed_out > 0);
  BOOST_TEST(zeroed_in == 0);
  BOOST_TEST(changed_in > 0);
  for (std::int64_t k = 0; k < 2 * C; ++k) {
    BOOST_TEST(ho[k] == 0.0f);
    BOOST_TEST(hi[k] == 0.0f);
  }
}

// GRU4Rec's model.gru_init=pytorch: PyTorch's default initialisation of the twin (nn.GRU and nn.Linear
// with xavier_uniform_ on every matrix, bench/torch/train_model.py --init glorot). The GRU matrices
// are Glorot uniform over each whole [in, 3H] matrix (bound sqrt(6 / (in + 3H)), below the per-gate
// bound sqrt(6 / (in + H)), which the default still reaches), the GRU and projection biases
// U(±1/sqrt(H)) and not zero; the item table (padding row zero) and the projection's weight are the
// same draws either way, and the default is today's per-gate initialisation.
BOOST_AUTO_TEST_CASE(gru4rec_pytorch_initialisation_draws_whole_matrices_and_torch_biases) {
  ModelConfig c = ModelConfig::defaults(ModelKind::gru4rec);
  c.num_items = 500;
  c.dim = 64;
  c.hidden = 100;
  BOOST_TEST((c.gru_init == GruInit::per_gate));
  ModelConfig torch_like = c;
  torch_like.gru_init = GruInit::pytorch;
  const auto per_gate = make_model(c)->state_dict(), pytorch = make_model(torch_like)->state_dict();
  const std::int64_t I = c.dim, H = c.hidden;
  auto max_abs = [](const Tensor& t) {
    float m = 0.0f;
    for (std::int64_t k = 0; k < t.numel(); ++k) m = std::max(m, std::abs(t[k]));
    return m;
  };
  auto mean_square = [](const Tensor& t) {
    double s = 0.0;
    for (std::int64_t k = 0; k < t.numel(); ++k) s += double(t[k]) * t[k];
    return s / double(t.numel());
  };
  for (auto [name, rows] : {std::pair{"gru.weight_ih", I}, std::pair{"gru.weight_hh", H}}) {
    const double whole = std::sqrt(6.0 / double(rows + 3 * H)), gate = std::sqrt(6.0 / double(rows + H));
    const Tensor& w = pytorch.at(name);
    BOOST_TEST(max_abs(w) <= whole, name);
    BOOST_TEST(max_abs(w) > 0.99 * whole, name);
    BOOST_TEST(std::abs(mean_square(w) / (whole * whole / 3.0) - 1.0) < 0.05, name);  // U(±a): E[w²] = a²/3
    BOOST_TEST(max_abs(per_gate.at(name)) > 1.2 * whole, name);  // the default: per-gate fans
    BOOST_TEST(max_abs(per_gate.at(name)) <= gate, name);
  }
  for (const char* name : {"gru.bias_ih", "gru.bias_hh", "projection.bias"}) {
    const double bound = 1.0 / std::sqrt(double(H));
    const Tensor& b = pytorch.at(name);
    BOOST_TEST(max_abs(b) <= bound, name);
    BOOST_TEST(max_abs(b) > 0.9 * bound, name);
    std::int64_t zeros = 0;
    for (std::int64_t k = 0; k < b.numel(); ++k) zeros += b[k] == 0.0f;
    BOOST_TEST(zeros == 0, name);
    BOOST_TEST(max_abs(per_gate.at(name)) == 0.0f, name);  // the default: zero biases
  }
  BOOST_TEST(!bit_equal(pytorch.at("gru.bias_ih"), pytorch.at("gru.bias_hh")));  // streams of their own
  BOOST_TEST(bit_equal(pytorch.at("items.weight"), per_gate.at("items.weight")));
  BOOST_TEST(bit_equal(pytorch.at("projection.weight"), per_gate.at("projection.weight")));
  const Tensor& items = pytorch.at("items.weight");
  for (std::int64_t k = 0; k < c.dim; ++k) BOOST_TEST(items[k] == 0.0f);  // the padding row
  BOOST_TEST(max_abs(items) <= std::sqrt(6.0 / double(c.num_items + 1 + c.dim)));  // torch's fans of [V + 1, dim]
}

// The fused loss op equals its composition, in value and in every gradient.
BOOST_AUTO_TEST_CASE(fused_loss_equals_its_composition) {
  for (ModelKind kind : {ModelKind::sasrec, ModelKind::gru4rec, ModelKind::nextitnet}) {
    const auto f = load_fixture("recsys/fixtures/model_" + std::string(model_kind_name(kind)) + ".txt");
    auto model = make_model(small_config(kind));
    model->eval();
    const SequenceBatch b = batch_from(f);
    Var fused = next_item_loss(*model, b);
    backward(fused);
    std::map<std::string, Tensor> g1;
    for (auto& [k, v] : model->named_parameters()) g1[k] = v->grad.clone();
    model->zero_grad();
    Var composed = next_item_loss_composed(*model, b);
    backward(composed);
    BOOST_TEST(std::fabs(fused->value.item() - composed->value.item()) < 1e-6);
    for (auto& [k, v] : model->named_parameters())
      BOOST_TEST(max_rel_err(g1[k].data(), v->grad.data(), v->grad.numel()) < 1e-5, model_kind_name(kind) << " " << k);
  }
}

// NextItNet runs fused blocks and drops the final mask product (padding rows stay zero through the
// stack); it must equal the composed blocks followed by the mask, in the hidden states and in every
// gradient.
BOOST_AUTO_TEST_CASE(nextitnet_equals_its_composed_blocks) {
  ModelConfig c = small_config(ModelKind::nextitnet);
  c.dilations = {1, 2, 4};
  auto model = make_model(c);
  const std::int64_t B = 4, T = 7, C = c.dim;
  IndexTensor items = IndexTensor::zeros(Shape{B, T});
  for (std::int64_t b = 0; b < B; ++b)
    for (std::int64_t t = b; t < T; ++t) items[b * T + t] = std::int32_t(1 + (b * 5 + t * 3) % c.num_items);
  Tensor mask = Tensor::empty(Shape{B, T});
  for (std::int64_t i = 0; i < B * T; ++i) mask[i] = items[i] != 0 ? 1.0f : 0.0f;
  // The reference: blocks with the model's parameters, composed, on [B, T, C].
  std::vector<std::unique_ptr<NextItNetBlock>> blocks;
  const auto params = model->named_parameters();
  for (size_t k = 0; k < c.dilations.size(); ++k) {
    blocks.push_back(std::make_unique<NextItNetBlock>(C, c.kernel, c.dilations[k]));
    for (auto& [n, v] : blocks.back()->named_parameters())
      for (auto& [mn, mv] : params)
        if (mn == "blocks." + std::to_string(k) + "." + n) v->value.copy_from(mv->value);
  }
  Var table = parameter(model->item_table().weight()->value.clone());
  Var x = gather_rows(table, items, 0);
  for (auto& blk : blocks) x = blk->forward_composed(x, mask);
  x = mul(x, constant(mask));
  Var h = model->hidden(items, IndexTensor::zeros(Shape{B, T}));
  BOOST_TEST(max_rel_err(h->value.data(), x->value.data(), B * T * C) < 1e-5);
  const Tensor R = random_tensor(h->shape(), 3);
  backward(h, R);
  backward(x, R);
  BOOST_TEST(max_rel_err(model->item_table().weight()->grad.data(), table->grad.data(), table->grad.numel()) < 1e-5);
  for (size_t k = 0; k < blocks.size(); ++k)
    for (auto& [n, v] : blocks[k]->named_parameters())
      for (auto& [mn, mv] : params)
        if (mn == "blocks." + std::to_string(k) + "." + n)
          BOOST_TEST(max_rel_err(mv->grad.data(), v->grad.data(), v->grad.numel()) < 1e-4, mn);  // sums over all steps
}

// Note [Determinism]: a whole training step (forward, backward, Adam), dropout included, gives the
// same bits with 1 and 2 threads for every model, at a size where every kernel splits its work.
BOOST_AUTO_TEST_CASE(training_step_is_bit_identical_across_thread_counts) {
  for (ModelKind kind : {ModelKind::sasrec, ModelKind::gru4rec, ModelKind::nextitnet}) {
    auto [a, b] = with_1_and_2_threads([kind] {
      ModelConfig c = ModelConfig::defaults(kind);
      c.num_items = 500;
      c.dim = 24;
      c.hidden = 24;
      c.maxlen = 40;
      c.dropout = kind == ModelKind::nextitnet ? 0.0f : 0.3f;
      auto model = make_model(c);
      model->train();
      nn::Adam adam(model->named_parameters(), nn::AdamOptions{});
      SequenceBatch batch;
      batch.B = 96;
      batch.T = batch.maxlen = 40;
      const Shape shape{batch.B, batch.T};
      batch.items = IndexTensor::empty(shape);
      batch.positions = IndexTensor::empty(shape);
      batch.targets = IndexTensor::empty(shape);
      batch.negatives = IndexTensor::empty(shape);
      Generator g(11);
      for (std::int64_t i = 0; i < shape.numel(); ++i) {
        const bool pad = i % batch.T < (i / batch.T) % 9;  // some left padding
        batch.items[i] = pad ? 0 : std::int32_t(g.integer(1, c.num_items + 1));
        batch.targets[i] = pad ? 0 : std::int32_t(g.integer(1, c.num_items + 1));
        batch.negatives[i] = pad ? 0 : std::int32_t(g.integer(1, c.num_items + 1));
        batch.positions[i] = std::int32_t(i % batch.T);
      }
      batch.weights = Tensor::full(Shape{batch.B}, 1.0f);
      std::vector<float> out;
      for (int step = 0; step < 2; ++step) {
        Var loss = next_item_loss(*model, batch);
        out.push_back(loss->value.item());
        backward(loss);
        adam.step();
        model->zero_grad();
      }
      for (auto& [n, v] : model->named_parameters()) out.insert(out.end(), v->value.data(), v->value.data() + v->value.numel());
      model->eval();
      Tensor s = model->score_all_last(batch.items, batch.positions);
      out.insert(out.end(), s.data(), s.data() + s.numel());
      return out;
    });
    BOOST_TEST(bit_equal(a, b), model_kind_name(kind));
  }
}

// score_all_last takes each model's shortcut to the last position (last_hidden); the scores must
// equal those of the last column of the full hidden states, with and without padding.
BOOST_AUTO_TEST_CASE(last_position_shortcuts_equal_the_full_forward) {
  for (ModelKind kind : {ModelKind::sasrec, ModelKind::gru4rec, ModelKind::nextitnet}) {
    ModelConfig c = small_config(kind);
    c.maxlen = 30;
    if (kind == ModelKind::gru4rec) c.hidden = 5;  // with the projection to dim
    auto model = make_model(c);
    model->eval();
    const std::int64_t B = 5, T = 30;
    IndexTensor items = IndexTensor::zeros(Shape{B, T}), pos = IndexTensor::empty(Shape{B, T});
    for (std::int64_t b = 0; b < B; ++b)
      for (std::int64_t t = 0; t < T; ++t) {
        if (t >= b * 6) items[b * T + t] = std::int32_t(1 + (b * 7 + t * 3) % c.num_items);
        pos[b * T + t] = std::int32_t(t);
      }
    const Tensor s = model->score_all_last(items, pos);
    Var h = model->hidden(items, pos);
    const Tensor& E = model->item_table().weight()->value;
    for (std::int64_t b = 0; b < B; ++b)
      for (std::int64_t i = 0; i < E.dim(0); ++i) {
        double ref = 0.0;
        for (std::int64_t k = 0; k < c.dim; ++k) ref += double(h->value[(b * T + T - 1) * c.dim + k]) * E[i * c.dim + k];
        BOOST_REQUIRE_MESSAGE(std::fabs(s[b * E.dim(0) + i] - ref) < 1e-4 * std::max(1.0, std::fabs(ref)),
                              model_kind_name(kind) << " row " << b << " item " << i << ": " << s[b * E.dim(0) + i]
                                                    << " vs " << ref);
      }
  }
}

BOOST_AUTO_TEST_CASE(loss_on_a_hand_computed_example) {
  ModelConfig c = small_config(ModelKind::sasrec);
  c.num_items = 3;
  c.dim = 2;
  // One sequence, T = 2: position 0 is padding (no target), position 1 has target 2 and negative 3.
  FixedHidden m(c, Tensor::from(Shape{1, 2, 2}, {0.0f, 0.0f, 1.0f, 2.0f}));
  m.item_table().weight()->value.copy_from(Tensor::from(Shape{4, 2}, {0, 0, 0.5f, 0.5f, 1.0f, -1.0f, 0.25f, 0.0f}));
  SequenceBatch b;
  b.B = 1;
  b.T = 2;
  b.items = IndexTensor::from(Shape{1, 2}, {0, 1});
  b.positions = IndexTensor::from(Shape{1, 2}, {8, 9});
  b.targets = IndexTensor::from(Shape{1, 2}, {0, 2});
  b.negatives = IndexTensor::from(Shape{1, 2}, {0, 3});
  b.weights = Tensor::from(Shape{1}, {3.0f});
  // pos logit = (1,2).(1,-1) = -1, neg logit = (1,2).(0.25,0) = 0.25
  // loss = 3 * [-log σ(-1) - log(1 - σ(0.25))] / 1 = 3 * [log(1 + e) + log(1 + e^0.25)]
  const double expected = 3.0 * (std::log(1.0 + std::exp(1.0)) + std::log(1.0 + std::exp(0.25)));
  BOOST_TEST(std::fabs(next_item_loss(m, b)->value.item() - expected) < 1e-5);
  BOOST_TEST(std::fabs(next_item_loss_composed(m, b)->value.item() - expected) < 1e-5);
  const auto per = next_item_loss_per_sequence(m, b);
  BOOST_TEST(std::fabs(per.losses->value[0] - expected / 3.0) < 1e-5);  // unweighted
}

// Found by tests/fuzz (fuzz_model_file): a model file whose configuration claims far more
// parameters than it holds made load_model allocate that model (here 4 * 10^11 bytes of item
// table) before looking at the parameters; it is refused as corrupt before anything is built.
BOOST_AUTO_TEST_CASE(model_file_claiming_more_parameters_than_it_holds_is_corrupt) {
  ModelConfig c = ModelConfig::defaults(ModelKind::sasrec);
  c.num_items = 1000000000;
  nn::StateDict s;
  s.set("kind", "l2aug-model");
  s.set("model_config", c.to_json().dump());
  s.set("data.item_names", "a\n");
  s.set("data.user_names", "u\n");
  s.tensors["model.items.weight"] = Tensor::zeros(Shape{2, 100});
  const std::string err = load_model_error(s, "huge");
  BOOST_TEST(err.find("corrupt model file: its configuration needs at least") != std::string::npos, err);
}

// Found by tests/fuzz (fuzz_model_file): a model file whose history offsets point past its stored
// items made `recommend --user` read out of bounds; load_model refuses such a file.
BOOST_AUTO_TEST_CASE(model_file_whose_histories_do_not_fit_is_corrupt) {
  const Split& split = test::synthetic_split("synthetic:users=40,items=30,topics=2");
  ModelConfig c = ModelConfig::defaults(ModelKind::gru4rec);
  c.num_items = split.num_items();
  c.dim = 8;
  c.hidden = 8;
  c.maxlen = 10;
  const std::string path =
      (std::filesystem::temp_directory_path() / ("l2aug_test_histories_" + std::to_string(::getpid()) + ".ckpt")).string();
  save_model(path, *make_model(c), split);
  const std::string user = split.dataset().user_names()[1];
  BOOST_TEST(user_history(load_model(path), user) == test::vec(split.dataset().items_of(1)));
  nn::StateDict s = nn::load_checkpoint(path);
  IndexTensor offsets = s.index("data.history_offsets");
  offsets[2] = offsets[offsets.numel() - 1] + 5;  // user 1's history ends past the stored items
  s.indices["data.history_offsets"] = offsets;
  std::filesystem::remove(path);
  const std::string err = load_model_error(s, "histories");
  BOOST_TEST(err.find("corrupt model file: its user histories do not fit") != std::string::npos, err);
}

// Found by tests/fuzz (fuzz_settings): `"dim": 1e30` was cast to an integer (undefined behaviour);
// an integer setting now has to be an integer its type can hold.
BOOST_AUTO_TEST_CASE(integer_settings_must_be_integers_in_range) {
  auto error = [](auto f) {
    try {
      f();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  BOOST_TEST(ModelConfig::from_json({{"dim", 64.0}}).dim == 64);
  BOOST_TEST(ModelConfig::from_json({{"dim", 1e3}}).dim == 1000);
  const std::string huge = error([] { ModelConfig::from_json({{"dim", 1e30}}); });
  BOOST_TEST(huge.find("model setting 'dim'") != std::string::npos, huge);
  BOOST_TEST(huge.find("expected an integer") != std::string::npos, huge);
  BOOST_TEST(!error([] { ModelConfig::from_json({{"dim", 2.5}}); }).empty());
  BOOST_TEST(!error([] { ModelConfig::from_json({{"dilations", {1, 1e300}}}); }).empty());
  BOOST_TEST(!error([] { ModelConfig::from_json({{"num_items", 3000000000LL}}); }).empty());  // int32
  BOOST_TEST(!error([] { ModelConfig::from_json({{"seed", -1}}); }).empty());                 // uint64
  TrainConfig t = TrainConfig::defaults(ModelKind::sasrec);
  BOOST_TEST(error([&] { t.apply_json({{"epochs", -1e300}}); }).find("training setting 'epochs'") != std::string::npos);
  BOOST_TEST(json_int<std::int64_t>(nlohmann::json(-9.2233720368547758e18)) == std::numeric_limits<std::int64_t>::min());
  BOOST_CHECK_THROW(json_int<std::int64_t>(nlohmann::json(9.2233720368547758e18)), nlohmann::json::type_error);  // 2^63
  BOOST_CHECK_THROW(json_int<std::int64_t>(nlohmann::json("7")), nlohmann::json::type_error);
}

BOOST_AUTO_TEST_CASE(config_json_round_trip_and_bad_settings) {
  ModelConfig c = ModelConfig::defaults(ModelKind::nextitnet);
  c.num_items = 42;
  c.dilations = {1, 4};
  const ModelConfig d = ModelConfig::from_json(c.to_json());
  BOOST_TEST(d.to_json() == c.to_json());
  BOOST_CHECK_THROW(ModelConfig::from_json({{"model", "bert"}}), Error);
  BOOST_CHECK_THROW(ModelConfig::from_json({{"dimension", 3}}), Error);
  BOOST_CHECK_THROW(ModelConfig::from_json({{"dropout", 1.5}}), Error);
  BOOST_CHECK_THROW(ModelConfig::from_json({{"model", "sasrec"}, {"dim", 10}, {"heads", 3}}), Error);
  c.set("dim", "16");
  BOOST_TEST(c.dim == 16);
  BOOST_CHECK_THROW(c.set("bogus", "1"), Error);
}

BOOST_AUTO_TEST_SUITE_END()
