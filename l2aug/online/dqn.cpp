#include "l2aug/online/dqn.h"

#include <algorithm>
#include <limits>

#include "tensor/functional.h"
#include "tensor/parallel.h"

namespace l2::online {

QNetwork::QNetwork(std::int64_t N, std::int64_t D, std::int64_t H)
    : N_(N), D_(D), s1_(N * D, H), s2_(H, H, false), item_(D, H), out_(H, 1) {
  register_module("state1", s1_);
  register_module("state2", s2_);
  register_module("item", item_);
  register_module("out", out_);
}

Var QNetwork::state_part(const Var& e) const {
  const std::int64_t B = e->shape()[0];
  return s2_.forward(relu(s1_.forward(reshape(e, Shape{B, N_ * D_}))));
}

Var QNetwork::item_part(const Var& e) const { return item_.forward(e); }

Var QNetwork::q(const Var& sp, const Var& ip) const { return out_.forward(relu(add(sp, ip))); }

Tensor QNetwork::q_all(const Tensor& sp, const Tensor& ip) const {
  const std::int64_t B = sp.dim(0), V = ip.dim(0), H = sp.dim(1);
  const float* w = out_.weight()->value.data();  // [H, 1]
  const float c = out_.bias()->value[0];
  Tensor q = Tensor::empty(Shape{B, V});
  parallel_for(B, 1, [&](std::int64_t b0, std::int64_t b1) {  // one state per block: no sum crosses threads
    for (std::int64_t b = b0; b < b1; ++b) {
      const float* s = sp.data() + b * H;
      for (std::int64_t v = 0; v < V; ++v) {
        const float* it = ip.data() + v * H;
        float acc = 0.0f;
        for (std::int64_t h = 0; h < H; ++h) acc += w[h] * std::max(0.0f, s[h] + it[h]);
        q[b * V + v] = acc + c;
      }
    }
  });
  return q;
}

DQN::DQN(Tensor embeddings, std::int64_t N, std::int64_t K, const AgentConfig& c)
    : Agent(std::move(embeddings), N, K, c),
      q_(N, D_, c.hidden),
      target_(N, D_, c.hidden),
      adam_(q_.named_parameters(), [&] {
        nn::AdamOptions o;
        o.lr = c.lr;
        return o;
      }()) {
  nn::Init init;
  init.scheme = nn::Init::XavierUniform;
  init.seed = c.seed;
  q_.init_parameters(init, "dqn.");
  target_.load_state_dict(q_.state_dict());
}

Tensor DQN::q_values(const IndexTensor& states, bool target) const {
  NoGradGuard no_grad;
  const QNetwork& net = target ? target_ : q_;
  const Tensor sp = net.state_part(embed(states))->value;
  const Tensor ip = net.item_part(constant(E_))->value;  // [V + 1, H]
  return net.q_all(sp, ip);
}

Tensor DQN::slot_scores(const IndexTensor& states) const {
  const Tensor q = q_values(states);
  return q.reshape(Shape{q.dim(0), 1, q.dim(1)});
}

UpdateStats DQN::update(const Transitions& t) {
  const std::int64_t n = t.size(), K = K_, N = N_, V1 = E_.dim(0);
  L2_CHECK(n > 0 && t.N == N && t.K == K, "DQN::update: " << n << " transitions of N = " << t.N << ", K = " << t.K
                                                          << " for an agent of N = " << N << ", K = " << K);
  // Targets y = (r - c) + gamma max_{i not in s'} Q'(s', i), one per item of each list.
  Tensor y = Tensor::empty(Shape{n * K, 1});
  {
    const Tensor q_next = q_values(IndexTensor::from(Shape{n, N}, t.next_states), true);
    const ItemMask in_next = mask_of_states(t.next_states, N, num_items());
    for (std::int64_t i = 0; i < n; ++i) {
      float best = -std::numeric_limits<float>::infinity();
      for (std::int64_t v = 1; v < V1; ++v)
        if (!in_next.excluded(i, std::int32_t(v))) best = std::max(best, q_next[i * V1 + v]);
      for (std::int64_t k = 0; k < K; ++k) y[i * K + k] = reward(t.ratings[size_t(i * K + k)]) + c_.gamma * best;
    }
  }
  // Q(s, a_k) for every item of every list: the state repeated K times.
  IndexTensor states = IndexTensor::empty(Shape{n * K, N}), items = IndexTensor::from(Shape{n * K}, t.lists);
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t k = 0; k < K; ++k) std::copy_n(t.states.begin() + i * N, N, states.data() + (i * K + k) * N);
  Var q = q_.q(q_.state_part(embed(states)), q_.item_part(embed(items)));
  Var loss = mean(pow(sub(q, constant(y)), 2.0f));
  UpdateStats s;
  s.loss = loss->value.item();
  s.q = double(fn::sum_all(q->value)) / double(n * K);
  q_.zero_grad();
  nn::gradient_step(loss, adam_);
  if (++updates_ % c_.target_every == 0) target_.load_state_dict(q_.state_dict());
  return s;
}

void DQN::copy_from(const Agent& other) {
  const auto* o = dynamic_cast<const DQN*>(&other);
  L2_CHECK(o, "DQN::copy_from: the other agent is a " << other.name());
  q_.load_state_dict(o->q_.state_dict());
  target_.load_state_dict(o->target_.state_dict());
  adam_.copy_state_from(o->adam_);
  updates_ = o->updates_;
}

}  // namespace l2::online
