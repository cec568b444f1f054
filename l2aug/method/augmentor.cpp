#include "l2aug/method/augmentor.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace l2::method {

const char* action_name(Action a) {
  switch (a) {
    case Action::keep: return "keep";
    case Action::drop: return "drop";
    case Action::substitute: return "substitute";
    case Action::insert: return "insert";
    case Action::reorder: return "reorder";
  }
  return "?";
}

Action parse_action(const std::string& name) {
  for (Action a : {Action::keep, Action::drop, Action::substitute, Action::insert, Action::reorder})
    if (name == action_name(a)) return a;
  L2_FAIL("unknown augmentation action '" << name << "' (known: keep, drop, substitute, insert, reorder)");
}

std::vector<Action> parse_actions(const std::string& list) {
  std::vector<Action> out;
  std::stringstream in(list);
  std::string part;
  while (std::getline(in, part, ',')) {
    const Action a = parse_action(part);
    for (Action b : out) L2_CHECK(a != b, "augmentation action '" << part << "' listed twice");
    out.push_back(a);
  }
  L2_CHECK(out.size() >= 2, "the action set needs at least two actions, got '" << list << "'");
  return out;
}

std::string actions_text(const std::vector<Action>& actions) {
  std::string s;
  for (Action a : actions) s += std::string(s.empty() ? "" : ",") + action_name(a);
  return s;
}

Augmentor::Augmentor(const AugmentorConfig& c, std::int32_t num_items)
    : config_(c),
      items_(num_items + 1, c.dim, 0),
      positions_(c.maxlen, c.dim),
      wq_(c.dim, c.dim, false),
      wk_(c.dim, c.dim, false),
      wv_(c.dim, c.dim, false),
      wa_(c.dim, std::int64_t(c.actions.size()), false) {
  L2_CHECK(c.actions.size() >= 2, "Augmentor: the action set needs at least two actions");
  register_module("items", items_);
  register_module("positions", positions_);
  register_module("wq", wq_);
  register_module("wk", wk_);
  register_module("wv", wv_);
  register_module("wa", wa_);
  reset_parameters();
}

void Augmentor::reset_parameters() {
  nn::Init init;
  init.scheme = nn::Init::XavierUniform;
  init.seed = config_.seed;
  init_parameters(init);
}

PolicyBatch Augmentor::make_batch(std::span<const std::span<const std::int32_t>> sequences) const {
  PolicyBatch b;
  b.B = std::int64_t(sequences.size());
  for (const auto& s : sequences) b.T = std::max<std::int64_t>(b.T, std::min<std::int64_t>(config_.maxlen, std::int64_t(s.size())));
  b.T = std::max<std::int64_t>(b.T, 1);
  b.items = IndexTensor::zeros(Shape{b.B, b.T});
  b.positions = IndexTensor::zeros(Shape{b.B, b.T});
  b.padding = IndexTensor::full(Shape{b.B, b.T}, 1);
  for (std::int64_t r = 0; r < b.B; ++r) {
    const auto& s = sequences[size_t(r)];
    const std::int64_t n = std::min<std::int64_t>(config_.maxlen, std::int64_t(s.size()));
    const std::int64_t off = std::int64_t(s.size()) - n;  // items before the window are kept as they are
    b.offset.push_back(off);
    b.length.push_back(n);
    for (std::int64_t k = 0; k < n; ++k) {
      const std::int64_t col = b.T - n + k;
      b.items[r * b.T + col] = s[size_t(off + k)];
      b.positions[r * b.T + col] = std::int32_t(k);
      b.padding[r * b.T + col] = 0;
    }
  }
  return b;
}

Var Augmentor::logits(const PolicyBatch& b) const {
  Var e = add(items_.forward(b.items), positions_.forward(b.positions));  // e_k = i_k + p_k
  Var h = causal_attention(wq_.forward(e), wk_.forward(e), wv_.forward(e), b.padding, 1,
                           1.0f / std::sqrt(float(config_.dim)), 0.0f, 0, 0);  // Eq. 3
  if (config_.residual) h = add(h, e);  // Note [Policy residual]
  return wa_.forward(h);                // Eq. 4, before the softmax
}

Augmented apply_actions(std::span<const std::int32_t> seq, std::int64_t first, std::span<const std::int32_t> actions,
                        std::span<const Action> set, const ItemCorrelation* corr) {
  L2_CHECK(first >= 0 && first + std::int64_t(actions.size()) == std::int64_t(seq.size()),
           "apply_actions: " << actions.size() << " actions for the " << seq.size() - size_t(first)
                             << " decided items of a sequence of " << seq.size());
  Augmented out;
  out.first_decided = first;
  out.actions.assign(actions.begin(), actions.end());
  struct Slot {
    std::int32_t item;
    bool moves_later;
  };
  // What each original item becomes: nothing (dropped), itself, its partner, or itself + partner.
  std::vector<std::vector<Slot>> pieces(seq.size());
  std::int64_t total = 0;
  for (size_t i = 0; i < seq.size(); ++i) {
    const std::int32_t item = seq[i];
    const Action a = std::int64_t(i) < first ? Action::keep : set[size_t(actions[i - size_t(first)])];
    const std::int32_t partner = (a == Action::substitute || a == Action::insert) && corr ? corr->most_correlated(item) : 0;
    switch (a) {
      case Action::keep: pieces[i] = {{item, false}}; break;
      case Action::drop: break;
      case Action::substitute: pieces[i] = {{partner ? partner : item, false}}; break;
      case Action::insert:
        pieces[i] = {{item, false}};
        if (partner) pieces[i].push_back({partner, false});
        break;
      case Action::reorder: pieces[i] = {{item, true}}; break;
    }
    total += std::int64_t(pieces[i].size());
  }
  // Note [Minimum length]: restore the most recent dropped items until 2 remain.
  for (std::int64_t i = std::int64_t(seq.size()) - 1; i >= 0 && total < 2; --i)
    if (pieces[size_t(i)].empty()) {
      pieces[size_t(i)] = {{seq[size_t(i)], false}};
      ++total;
    }
  std::vector<Slot> slots;
  for (const auto& p : pieces) slots.insert(slots.end(), p.begin(), p.end());
  // Reorder: an item marked to move later swaps with the slot after it (left to right, each once).
  for (size_t k = 0; k + 1 < slots.size(); ++k)
    if (slots[k].moves_later) {
      std::swap(slots[k], slots[k + 1]);
      ++k;
    }
  for (const Slot& x : slots) out.items.push_back(x.item);
  return out;
}

}  // namespace l2::method
