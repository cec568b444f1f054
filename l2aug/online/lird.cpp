#include "l2aug/online/lird.h"

#include <algorithm>
#include <cmath>

#include "tensor/functional.h"

namespace l2::online {

namespace {

// The GRU's output at the last step, [B, H]: with left-padded states it has read every real item.
Var last_step(const Var& h) {
  const Shape& s = h->shape();
  return reshape(slice(h, 1, s[1] - 1, s[1]), Shape{s[0], s[2]});
}

// θ' <- τ θ + (1 - τ) θ' for modules of the same architecture.
void soft_update(nn::Module& target, const nn::Module& online, float tau) {
  const auto t = target.named_parameters(), o = online.named_parameters();
  for (size_t k = 0; k < t.size(); ++k) {
    float* tp = t[k].second->value.data();
    const float* op = o[k].second->value.data();
    for (std::int64_t i = 0; i < t[k].second->value.numel(); ++i) tp[i] = tau * op[i] + (1.0f - tau) * tp[i];
  }
}

nn::AdamOptions adam_with_lr(float lr) {
  nn::AdamOptions o;
  o.lr = lr;
  return o;
}

}  // namespace

LirdActor::LirdActor(std::int64_t, std::int64_t K, std::int64_t D, std::int64_t H, float norm)
    : K_(K), D_(D), norm_(norm), gru_(D, H), out_(H, K * D) {
  register_module("gru", gru_);
  register_module("out", out_);
}

Var LirdActor::weights(const Var& e, const Tensor& mask) const {
  Var u = out_.forward(last_step(gru_.forward(e, mask)));  // [B, K * D]
  if (norm_ <= 0.0f) return tanh(u);
  // w^k = r̄ u^k / |u^k| (Note [Proto-action scale]); the 1e-12 keeps a zero u finite.
  const std::int64_t B = u->shape()[0];
  Var uk = reshape(u, Shape{B, K_, D_});
  Var length = sqrt(add_scalar(reshape(sum(mul(uk, uk), 2), Shape{B, K_, 1}), 1e-12f));
  return reshape(scale(div(uk, length), norm_), Shape{B, K_ * D_});
}

LirdCritic::LirdCritic(std::int64_t, std::int64_t K, std::int64_t D, std::int64_t H)
    : gru_(D, H), l1_(H + K * D, 32), l2_(32, 16), l3_(16, 1) {
  register_module("gru", gru_);
  register_module("l1", l1_);
  register_module("l2", l2_);
  register_module("l3", l3_);
}

Var LirdCritic::q(const Var& e, const Tensor& mask, const Var& action) const {
  Var x = concat({last_step(gru_.forward(e, mask)), action}, 1);
  return l3_.forward(relu(l2_.forward(relu(l1_.forward(x)))));
}

namespace {
// r̄: the mean length of the item embeddings (rows 1..V).
float mean_item_norm(const Tensor& E) {
  const std::int64_t V1 = E.dim(0), D = E.dim(1);
  double total = 0.0;
  for (std::int64_t i = 1; i < V1; ++i) {
    double s = 0.0;
    for (std::int64_t d = 0; d < D; ++d) s += double(E[i * D + d]) * double(E[i * D + d]);
    total += std::sqrt(s);
  }
  return float(total / double(std::max<std::int64_t>(1, V1 - 1)));
}
}  // namespace

LIRD::LIRD(Tensor embeddings, std::int64_t N, std::int64_t K, const AgentConfig& c)
    : Agent(std::move(embeddings), N, K, c),
      actor_(N, K, D_, c.hidden, c.tanh_actions ? 0.0f : mean_item_norm(E_)),
      target_actor_(N, K, D_, c.hidden, c.tanh_actions ? 0.0f : mean_item_norm(E_)),
      critic_(N, K, D_, c.hidden),
      target_critic_(N, K, D_, c.hidden),
      actor_adam_(actor_.named_parameters(), adam_with_lr(c.actor_lr)),
      critic_adam_(critic_.named_parameters(), adam_with_lr(c.lr)) {
  nn::Init init;
  init.scheme = nn::Init::XavierUniform;  // Keras' default, as in egipcy
  init.seed = c.seed;
  actor_.init_parameters(init, "lird.actor.");
  critic_.init_parameters(init, "lird.critic.");
  target_actor_.load_state_dict(actor_.state_dict());
  target_critic_.load_state_dict(critic_.state_dict());
}

Tensor LIRD::mask_of(const IndexTensor& states) const {
  Tensor m = Tensor::empty(states.shape());
  for (std::int64_t i = 0; i < states.numel(); ++i) m[i] = states[i] != 0 ? 1.0f : 0.0f;
  return m;
}

Tensor LIRD::slot_scores(const IndexTensor& states) const {
  NoGradGuard no_grad;
  const std::int64_t B = states.dim(0);
  const Tensor w = actor_.weights(embed(states), mask_of(states))->value.reshape(Shape{B * K_, D_});
  return fn::matmul(w, E_, false, true).reshape(Shape{B, K_, E_.dim(0)});  // w^k . e_i (Algorithm 2)
}

Tensor LIRD::target_slot_scores(const IndexTensor& states) const {
  NoGradGuard no_grad;
  const std::int64_t B = states.dim(0);
  const Tensor w = target_actor_.weights(embed(states), mask_of(states))->value.reshape(Shape{B * K_, D_});
  return fn::matmul(w, E_, false, true).reshape(Shape{B, K_, E_.dim(0)});
}

UpdateStats LIRD::update(const Transitions& t) {
  const std::int64_t n = t.size(), K = K_, N = N_, D = D_;
  L2_CHECK(n > 0 && t.N == N && t.K == K, "LIRD::update: " << n << " transitions of N = " << t.N << ", K = " << t.K
                                                           << " for an agent of N = " << N << ", K = " << K);
  // y = R + gamma Q'(s', a'), a' = the target actor's list in s'.
  Tensor y = Tensor::empty(Shape{n, 1});
  {
    NoGradGuard no_grad;
    const IndexTensor next = IndexTensor::from(Shape{n, N}, t.next_states);
    const std::vector<std::int32_t> a2 =
        pick_lists(target_slot_scores(next), mask_of_states(t.next_states, N, num_items()), 0.0f, nullptr);
    const Var a2_emb = reshape(embed(IndexTensor::from(Shape{n, K}, a2)), Shape{n, K * D});
    const Tensor q2 = target_critic_.q(embed(next), mask_of(next), a2_emb)->value;
    for (std::int64_t i = 0; i < n; ++i) {
      double R = 0.0, w = 1.0;
      for (std::int64_t k = 0; k < K; ++k, w *= c_.Gamma) R += w * reward(t.ratings[size_t(i * K + k)]);  // Eq. 4
      y[i] = float(R + double(c_.gamma) * double(q2[i]));
    }
  }
  const IndexTensor states = IndexTensor::from(Shape{n, N}, t.states);
  const Var s = embed(states);
  const Tensor mask = mask_of(states);
  // Critic: mean (Q(s, a) - y)^2 with a the stored list's embeddings.
  Var q = critic_.q(s, mask, reshape(embed(IndexTensor::from(Shape{n, K}, t.lists)), Shape{n, K * D}));
  Var critic_loss = mean(pow(sub(q, constant(y)), 2.0f));
  UpdateStats stats;
  stats.loss = critic_loss->value.item();
  stats.q = double(fn::sum_all(q->value)) / double(n);
  critic_.zero_grad();
  nn::gradient_step(critic_loss, critic_adam_);
  // Actor: maximise Q(s, π(s)); the critic's gradients from this pass are discarded.
  Var actor_loss = neg(mean(critic_.q(s, mask, actor_.weights(s, mask))));
  actor_.zero_grad();
  nn::gradient_step(actor_loss, actor_adam_);
  critic_.zero_grad();  // not the actor optimiser's parameters, so gradient_step left them
  {
    NoGradGuard no_grad;
    soft_update(target_actor_, actor_, c_.tau);
    soft_update(target_critic_, critic_, c_.tau);
  }
  ++updates_;
  return stats;
}

void LIRD::copy_from(const Agent& other) {
  const auto* o = dynamic_cast<const LIRD*>(&other);
  L2_CHECK(o, "LIRD::copy_from: the other agent is a " << other.name());
  actor_.load_state_dict(o->actor_.state_dict());
  target_actor_.load_state_dict(o->target_actor_.state_dict());
  critic_.load_state_dict(o->critic_.state_dict());
  target_critic_.load_state_dict(o->target_critic_.state_dict());
  actor_adam_.copy_state_from(o->actor_adam_);
  critic_adam_.copy_state_from(o->critic_adam_);
  updates_ = o->updates_;
}

}  // namespace l2::online
