#include "l2aug/online/embeddings.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "autograd/ops.h"
#include "nn/layers.h"
#include "nn/optim.h"
#include "tensor/random.h"

namespace l2::online {

namespace {

// The held-out-item network: a bag embedding (the first Dense) and a softmax layer (the second).
class BagModel : public nn::Module {
 public:
  BagModel(std::int32_t num_items, const EmbeddingConfig& c)
      : items_(num_items + 1, c.dim, 0), out_(c.dim, num_items + 1) {
    register_module("items", items_);
    bias_ = register_parameter("bias", Tensor::zeros(Shape{c.dim}));
    register_module("out", out_);
    nn::Init init;
    init.scheme = nn::Init::XavierUniform;  // Keras' Dense default, as in egipcy
    init.seed = c.seed;
    init_parameters(init);
  }
  // bags: [B, L] item ids, 0-padded; inv_size: [B, 1] 1/|bag|. Returns the hidden layer [B, D].
  Var hidden(const IndexTensor& bags, const Tensor& inv_size) const {
    return add(mul(sum(items_.forward(bags), 1), constant(inv_size)), bias_);
  }
  Var logits(const Var& h) const { return out_.forward(h); }
  const Var& table() const { return items_.weight(); }
  const Var& bias() const { return bias_; }

 private:
  nn::Embedding items_;
  Var bias_;
  nn::Linear out_;
};

}  // namespace

Tensor train_item_embeddings(std::span<const std::span<const std::int32_t>> sequences, std::int32_t num_items,
                             const EmbeddingConfig& c, EmbeddingReport* report) {
  L2_CHECK(c.dim > 0 && c.steps > 0 && c.batch > 0 && c.max_bag > 0 && c.lr > 0.0f && c.dropout >= 0.0f &&
               c.dropout < 1.0f,
           "item embeddings: dim, steps, batch, max_bag and lr must be positive and dropout in [0, 1)");
  const auto start = std::chrono::steady_clock::now();
  std::vector<size_t> users;  // sequences with a held-out item and a non-empty bag
  for (size_t u = 0; u < sequences.size(); ++u)
    if (sequences[u].size() >= 2) users.push_back(u);
  L2_CHECK(!users.empty(), "item embeddings: no user has 2 training items");
  BagModel model(num_items, c);
  nn::AdamOptions ao;
  ao.lr = c.lr;
  nn::Adam adam(model.named_parameters(), ao);
  std::vector<double> losses;
  const std::int64_t B = c.batch;
  for (std::int64_t step = 0; step < c.steps; ++step) {
    // Draw (user, held-out position) pairs; the bag is the user's other training items.
    Generator g(c.seed, 0xE3B0000 + std::uint64_t(step));
    std::vector<std::vector<std::int32_t>> bag(static_cast<size_t>(B));
    std::int64_t L = 1;
    IndexTensor target = IndexTensor::zeros(Shape{B});
    for (std::int64_t r = 0; r < B; ++r) {
      const auto seq = sequences[users[size_t(g.integer(0, std::int64_t(users.size())))]];
      const std::int64_t held = g.integer(0, std::int64_t(seq.size()));
      target[r] = seq[size_t(held)];
      const std::int64_t others = std::int64_t(seq.size()) - 1;
      if (others <= c.max_bag) {
        for (std::int64_t k = 0; k < std::int64_t(seq.size()); ++k)
          if (k != held) bag[size_t(r)].push_back(seq[size_t(k)]);
      } else {
        for (std::int64_t k : g.sample_without_replacement(others, c.max_bag))
          bag[size_t(r)].push_back(seq[size_t(k < held ? k : k + 1)]);  // index among the others
      }
      L = std::max<std::int64_t>(L, std::int64_t(bag[size_t(r)].size()));
    }
    IndexTensor bags = IndexTensor::zeros(Shape{B, L});
    Tensor inv_size = Tensor::empty(Shape{B, 1});
    for (std::int64_t r = 0; r < B; ++r) {
      std::copy(bag[size_t(r)].begin(), bag[size_t(r)].end(), bags.data() + r * L);
      inv_size[r] = 1.0f / float(bag[size_t(r)].size());
    }
    Var h = dropout(model.hidden(bags, inv_size), c.dropout, c.seed, 0xD0000000 + std::uint64_t(step));
    Var loss = mean(cross_entropy(model.logits(h), target));
    losses.push_back(double(loss->value.item()));
    nn::gradient_step(loss, adam);
  }
  // e_i = W[i] + b: the hidden layer of the bag {i}; then one scale for all (see the header).
  const std::int64_t D = c.dim;
  Tensor E = Tensor::zeros(Shape{std::int64_t(num_items) + 1, D});
  const Tensor& W = model.table()->value;
  const Tensor& b = model.bias()->value;
  float largest = 0.0f;
  for (std::int64_t i = 1; i <= num_items; ++i)
    for (std::int64_t d = 0; d < D; ++d) {
      E[i * D + d] = W[i * D + d] + b[d];
      largest = std::max(largest, std::fabs(E[i * D + d]));
    }
  if (largest > 0.0f)
    for (std::int64_t k = 0; k < E.numel(); ++k) E[k] /= largest;
  if (report) {
    const size_t n = std::min<size_t>(100, losses.size());
    report->first_loss = report->last_loss = 0.0;
    for (size_t k = 0; k < n; ++k) {
      report->first_loss += losses[k] / double(n);
      report->last_loss += losses[losses.size() - 1 - k] / double(n);
    }
    report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return E;
}

}  // namespace l2::online
