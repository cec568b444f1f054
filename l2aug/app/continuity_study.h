// The interest-continuity comparison of the paper's Figure 1(a): how similar consecutive items are
// in casual users' sequences, in core users' sequences, and in the sequences the trained L2Aug
// policy makes of core users' sequences (Section 5.2.3: the augmented ones should lie between).
// Item similarity is the co-occurrence cosine of recsys/data/continuity.h (Note [Co-occurrence
// similarity]): over the training sequences, leaving out the user the pair comes from. Each
// sequence contributes the mean similarity of its consecutive pairs; the study reports the
// histogram and the mean of those per-sequence values for each of the three sets.
#pragma once

#include <nlohmann/json.hpp>

#include "l2aug/method/augmentor.h"
#include "recsys/data/split.h"

namespace l2::app {

nlohmann::json continuity_study(const recsys::Split& split, const method::Augmentor& policy, const method::ItemCorrelation& correlation,
                                std::uint64_t seed, int bins = 20);

}  // namespace l2::app
