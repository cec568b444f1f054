// What a trained L2Aug policy does, in terms that can be compared across seeds: the mean
// probability of editing an item (any action but keep) over core users' training sequences, by
// the item's popularity decile, by its distance from the end of the sequence, and by its
// interest continuity with the item before it (the co-occurrence similarity of
// recsys/data/continuity.h). The buckets depend on the data alone, so two policies trained on the
// same data from different seeds give profiles of the same shape: if they learned the same thing,
// their profiles are correlated (`profile_agreement`).
#pragma once

#include <nlohmann/json.hpp>

#include "l2aug/method/augmentor.h"
#include "l2aug/method/reinforce.h"
#include "recsys/data/split.h"

namespace l2::app {

// Over the first `max_sequences` core users' training sequences (0: all). For a control (`kind`
// keep_all or uniform) the profile is the control's, whatever the network's weights.
nlohmann::json policy_profile(const recsys::Split& split, const method::Augmentor& policy,
                              method::PolicyKind kind = method::PolicyKind::learned, std::int64_t max_sequences = 0);

// The Pearson correlation of two profiles' bucket means (every bucket of every view that holds
// decisions in both, in order).
double profile_agreement(const nlohmann::json& a, const nlohmann::json& b);

}  // namespace l2::app
