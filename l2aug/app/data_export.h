// `l2aug data export`: the processed split as plain text, so that other tools (the PyTorch
// reference scripts in bench/) run on exactly the same users, ids, groups and targets as l2aug.
// Files (dense ids; item 0 and user 0 are padding and never appear):
//   train.txt        "u i_1 ... i_n"            the recommender's training sequence (meta targets withheld)
//   validation.txt   "u target h_1 ... h_n"     history = the training items
//   test.txt         "u target h_1 ... h_n"     history = training items + validation item
//   meta.txt         "u target h_1 ... h_n"     meta-validation: history = train[:-1], target = train[-1]
//   users.tsv        user, raw_id, group, meta, train_length, validation, test
//   items.tsv        item, raw_id
//   split.json       settings, cutoff, counts and build facts
#pragma once

#include <filesystem>
#include <string>

#include "recsys/data/split.h"

namespace l2::app {

void export_split(const recsys::Split& split, const std::filesystem::path& dir, const std::string& stats_json);

}  // namespace l2::app
