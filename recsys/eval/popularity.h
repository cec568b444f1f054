// The popularity baseline: every user gets the same scores, the number of training interactions
// of each item (meta targets excluded, as the recommenders never see them). Scored through the
// same evaluation path as the models, ties counting against the target.
#pragma once

#include "recsys/eval/evaluate.h"

namespace l2::recsys {

Tensor popularity_counts(const Split& split);  // [V + 1]
ScoreFn popularity_scorer(const Split& split);

}  // namespace l2::recsys
