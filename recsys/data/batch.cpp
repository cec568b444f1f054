#include "recsys/data/batch.h"

#include <algorithm>
#include <numeric>
#include <string>

#include "tensor/check.h"
#include "tensor/parallel.h"

namespace l2::recsys {

namespace {

constexpr std::int64_t kRowsPerBlock = 16;  // rows per parallel block (any value gives the same batch)
constexpr std::int64_t kMaxNegativeTries = 1 << 16;

// The negative for the target `distance` steps before the end of a user's sequence (Note [Bucketing]).
// 0 when no allowed item turned up in kMaxNegativeTries draws.
std::int32_t draw_negative(const Generator& user_rng, std::int64_t distance, const std::vector<std::int32_t>& excluded,
                           std::int32_t num_items) {
  Generator g = user_rng.fork(std::uint64_t(distance));
  for (std::int64_t t = 0; t < kMaxNegativeTries; ++t) {
    const auto v = static_cast<std::int32_t>(g.integer(1, std::int64_t(num_items) + 1));
    if (!std::binary_search(excluded.begin(), excluded.end(), v)) return v;
  }
  return 0;
}

}  // namespace

SequenceBatch make_sequence_batch(std::span<const SequenceRef> sequences, std::span<const std::int32_t> rows,
                                  std::int64_t maxlen, const NegativeSampling& negatives) {
  L2_CHECK(!rows.empty(), "make_sequence_batch: no rows");
  L2_CHECK(maxlen >= 1, "make_sequence_batch: maxlen must be >= 1, got " << maxlen);
  L2_CHECK(negatives.num_items >= 1, "make_sequence_batch: no items to draw negatives from");
  // All checks before the parallel loop: nothing may throw inside an OpenMP region.
  std::int64_t T = 0;
  for (std::int32_t r : rows) {
    L2_CHECK(r >= 0 && std::size_t(r) < sequences.size(),
             "make_sequence_batch: row " << r << " outside the " << sequences.size() << " sequences");
    const SequenceRef& s = sequences[size_t(r)];
    L2_CHECK(s.items.size() >= 2, "make_sequence_batch: sequence " << r << " (user " << s.user << ") has "
                                                                   << s.items.size()
                                                                   << " items; a training sequence needs >= 2");
    T = std::max<std::int64_t>(T, std::min<std::int64_t>(std::int64_t(s.items.size()) - 1, maxlen));
  }
  const auto B = std::int64_t(rows.size());
  SequenceBatch batch;
  batch.B = B, batch.T = T, batch.maxlen = maxlen;
  batch.items = IndexTensor::zeros({B, T});
  batch.positions = IndexTensor::empty({B, T});
  batch.targets = IndexTensor::zeros({B, T});
  batch.negatives = IndexTensor::zeros({B, T});
  batch.weights = Tensor::empty({B});
  batch.rows.assign(rows.begin(), rows.end());
  batch.users.resize(size_t(B));
  std::vector<std::string> errors(static_cast<size_t>(B));

  const Generator base(negatives.seed, negatives.stream);
  parallel_for(B, kRowsPerBlock, [&](std::int64_t b0, std::int64_t b1) {
    std::vector<std::int32_t> excluded;
    for (std::int64_t b = b0; b < b1; ++b) {
      const SequenceRef& s = sequences[size_t(rows[size_t(b)])];
      batch.users[size_t(b)] = s.user;
      batch.weights[b] = s.weight;
      std::int32_t* pos = batch.positions.data() + b * T;
      for (std::int64_t c = 0; c < T; ++c) pos[c] = std::int32_t(maxlen - T + c);

      excluded.assign(s.exclude.begin(), s.exclude.end());
      std::sort(excluded.begin(), excluded.end());
      excluded.erase(std::unique(excluded.begin(), excluded.end()), excluded.end());
      const auto in_range = std::count_if(excluded.begin(), excluded.end(),
                                          [&](std::int32_t v) { return v >= 1 && v <= negatives.num_items; });
      if (in_range >= negatives.num_items) {
        errors[size_t(b)] =
            "user " + std::to_string(s.user) + " has every item among its excluded items: no negative exists";
        continue;
      }
      const Generator user_rng = base.fork(std::uint64_t(std::uint32_t(s.user)));
      const auto n = std::int64_t(s.items.size());
      const std::int64_t L = std::min(n - 1, maxlen);  // inputs kept: the last L
      const std::int64_t first = n - 1 - L;            // index in s of the first kept input
      std::int32_t* in = batch.items.data() + b * T;
      std::int32_t* tg = batch.targets.data() + b * T;
      std::int32_t* ng = batch.negatives.data() + b * T;
      for (std::int64_t k = 0; k < L; ++k) {
        const std::int64_t c = T - L + k;  // right-aligned: the last input in column T-1
        in[c] = s.items[size_t(first + k)];
        tg[c] = s.items[size_t(first + k + 1)];
        ng[c] = draw_negative(user_rng, L - 1 - k, excluded, negatives.num_items);
        if (ng[c] == 0 && errors[size_t(b)].empty())
          errors[size_t(b)] = "user " + std::to_string(s.user) + ": no negative found in " +
                              std::to_string(kMaxNegativeTries) + " draws (almost every item is excluded)";
      }
    }
  });
  for (const std::string& e : errors) L2_CHECK(e.empty(), "make_sequence_batch: " << e);
  return batch;
}

std::vector<std::int64_t> input_lengths(std::span<const SequenceRef> sequences, std::int64_t maxlen) {
  std::vector<std::int64_t> len(sequences.size());
  for (size_t k = 0; k < sequences.size(); ++k)
    len[k] = std::max<std::int64_t>(0, std::min<std::int64_t>(std::int64_t(sequences[k].items.size()) - 1, maxlen));
  return len;
}

std::vector<SequenceRef> recommender_training_sequences(const Split& split) {
  std::vector<SequenceRef> out;
  out.reserve(split.trainable_users().size());
  // A meta user's meta target is withheld entirely: not a training target, and not excluded from
  // its negatives either (the recommender must learn nothing from it).
  for (std::int32_t u : split.trainable_users())
    out.push_back({split.train_sequence(u), split.train_sequence(u), u, 1.0f});
  return out;
}

BatchPlan plan_unbucketed(std::int64_t n, std::int64_t batch_size, Generator& rng) {
  L2_CHECK(batch_size >= 1, "plan_unbucketed: batch size must be >= 1, got " << batch_size);
  std::vector<std::int32_t> order(static_cast<size_t>(std::max<std::int64_t>(n, 0)));
  std::iota(order.begin(), order.end(), 0);
  rng.shuffle(order);
  BatchPlan plan;
  for (std::int64_t b = 0; b < n; b += batch_size)
    plan.emplace_back(order.begin() + b, order.begin() + std::min(n, b + batch_size));
  return plan;
}

BatchPlan plan_bucketed(std::span<const std::int64_t> lengths, std::int64_t batch_size, Generator& rng,
                        std::int64_t window_batches) {
  L2_CHECK(batch_size >= 1 && window_batches >= 1,
           "plan_bucketed: batch size and window must be >= 1, got " << batch_size << ", " << window_batches);
  const auto n = std::int64_t(lengths.size());
  std::vector<std::int32_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  rng.shuffle(order);
  const std::int64_t window = batch_size * window_batches;
  for (std::int64_t w = 0; w < n; w += window)
    std::stable_sort(order.begin() + w, order.begin() + std::min(n, w + window),
                     [&](std::int32_t a, std::int32_t b) { return lengths[size_t(a)] < lengths[size_t(b)]; });
  BatchPlan plan;
  for (std::int64_t b = 0; b < n; b += batch_size)
    plan.emplace_back(order.begin() + b, order.begin() + std::min(n, b + batch_size));
  rng.shuffle(plan);  // so that an epoch does not run from short to long sequences
  return plan;
}

EvalBatch make_eval_batch(std::span<const EvalCase> cases, std::int64_t maxlen) {
  L2_CHECK(!cases.empty(), "make_eval_batch: no cases");
  L2_CHECK(maxlen >= 1, "make_eval_batch: maxlen must be >= 1, got " << maxlen);
  std::int64_t T = 0;
  for (const EvalCase& c : cases) {
    L2_CHECK(!c.history.empty(), "make_eval_batch: user " << c.user << " has an empty history");
    T = std::max<std::int64_t>(T, std::min<std::int64_t>(std::int64_t(c.history.size()), maxlen));
  }
  const auto B = std::int64_t(cases.size());
  EvalBatch batch;
  batch.B = B, batch.T = T, batch.maxlen = maxlen;
  batch.items = IndexTensor::zeros({B, T});
  batch.positions = IndexTensor::empty({B, T});
  batch.targets = IndexTensor::empty({B});
  batch.users.resize(size_t(B));
  for (std::int64_t b = 0; b < B; ++b) {
    const EvalCase& c = cases[size_t(b)];
    const auto n = std::int64_t(c.history.size());
    const std::int64_t L = std::min(n, maxlen);
    for (std::int64_t k = 0; k < L; ++k) batch.items[b * T + T - L + k] = c.history[size_t(n - L + k)];
    for (std::int64_t col = 0; col < T; ++col) batch.positions[b * T + col] = std::int32_t(maxlen - T + col);
    batch.targets[b] = c.target;
    batch.users[size_t(b)] = c.user;
  }
  return batch;
}

std::vector<std::vector<std::int32_t>> length_buckets(std::span<const std::int64_t> lengths, std::int64_t min_rows) {
  std::vector<std::int32_t> order(lengths.size());
  std::iota(order.begin(), order.end(), std::int32_t(0));
  std::stable_sort(order.begin(), order.end(), [&](std::int32_t a, std::int32_t b) { return lengths[size_t(a)] < lengths[size_t(b)]; });
  std::vector<std::vector<std::int32_t>> buckets;
  std::int64_t real = 0;  // positions holding an item in the current bucket
  for (size_t k = 0; k < order.size(); ++k) {
    const std::int64_t l = lengths[size_t(order[k])];  // the bucket's longest: rows come in ascending order
    const auto rows = std::int64_t(buckets.empty() ? 0 : buckets.back().size());
    const bool dense_enough = 2 * (real + l) >= (rows + 1) * l;
    if (buckets.empty() || (rows >= min_rows && !dense_enough && std::int64_t(order.size() - k) >= min_rows)) {
      buckets.emplace_back();
      real = 0;
    }
    buckets.back().push_back(order[k]);
    real += l;
  }
  return buckets;
}

std::vector<std::size_t> length_order(std::span<const EvalCase> cases, std::int64_t maxlen) {
  std::vector<std::size_t> order(cases.size());
  std::iota(order.begin(), order.end(), std::size_t(0));
  const auto length = [&](std::size_t k) { return std::min<std::int64_t>(std::int64_t(cases[k].history.size()), maxlen); };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return length(a) < length(b); });
  return order;
}

std::vector<EvalCase> eval_cases(const Split& split, EvalSet set) {
  std::vector<EvalCase> out;
  switch (set) {
    case EvalSet::validation:
      for (std::int32_t u : split.validation_users())
        out.push_back({split.validation_history(u), split.validation_target(u), u});
      break;
    case EvalSet::test:
      for (std::int32_t u : split.test_users()) out.push_back({split.test_history(u), split.test_target(u), u});
      break;
    case EvalSet::meta:
      for (std::int32_t u : split.meta_users()) out.push_back({split.meta_history(u), split.meta_target(u), u});
      break;
  }
  return out;
}

std::vector<EvalCase> eval_cases(const Split& split, EvalSet set, Group group) {
  std::vector<EvalCase> all = eval_cases(split, set), out;
  for (const EvalCase& c : all)
    if (split.group(c.user) == group) out.push_back(c);
  return out;
}

}  // namespace l2::recsys
