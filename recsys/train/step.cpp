#include "recsys/train/step.h"

#include "recsys/train/loss.h"

namespace l2::recsys {

float next_item_step(SequentialRecommender& model, const SequenceBatch& batch, nn::Optimizer& opt, float clip_norm) {
  const Var loss = next_item_loss(model, batch);
  nn::gradient_step(loss, opt, clip_norm);
  return loss->value.item();
}

}  // namespace l2::recsys
