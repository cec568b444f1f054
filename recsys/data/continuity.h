// Interest continuity (Section 2, Figure 1(a)): the mean similarity between consecutively consumed
// items, per user group. The paper embeds items by bag-of-words on their descriptions; most
// datasets here have no item text, so items are represented by who consumed them instead.
//
// Note [Co-occurrence similarity]
// sim(i, j) = cosine of the item-user incidence vectors of i and j over the training sequences,
// leaving out the user the pair comes from: (|U_i ∩ U_j| - 1) / sqrt((|U_i| - 1)(|U_j| - 1)), and 0 when
// either item has no other user. Without leaving the user out, every consecutive pair would share at
// least that user, which inflates the similarity of rare items (every 5-core item is rare).
#pragma once

#include <array>
#include <cstdint>

#include "recsys/data/split.h"

namespace l2::recsys {

struct Continuity {
  double mean = 0.0;       // mean similarity over the consecutive pairs
  std::int64_t pairs = 0;  // consecutive pairs (i, j) in the training sequences of the group
};

// Per Group (index 0 casual, 1 core), over the recommender's training sequences of the split.
std::array<Continuity, 2> interest_continuity(const Split& split);

}  // namespace l2::recsys
