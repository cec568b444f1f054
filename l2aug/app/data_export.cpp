#include "l2aug/app/data_export.h"

#include "recsys/data/text_file.h"
#include "tensor/check.h"

namespace l2::app {

using namespace recsys;

namespace {

std::string joined(std::span<const std::int32_t> items) {
  std::string s;
  for (std::int32_t i :
       items) {  // appended piecewise: `" " + to_string(i)` trips GCC 12's -Wrestrict (a false positive)
    s += ' ';
    s += std::to_string(i);
  }
  return s;
}

}  // namespace

void export_split(const Split& split, const std::filesystem::path& dir, const std::string& stats_json) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  L2_CHECK(!ec, dir.string() << ": cannot create the folder: " << ec.message());
  const Dataset& d = split.dataset();

  TextWriter train(dir / "train.txt", false);
  for (std::int32_t u = 1; u <= split.num_users(); ++u)
    if (!split.train_sequence(u).empty()) train.line(std::to_string(u) + joined(split.train_sequence(u)));
  train.close();

  TextWriter valid(dir / "validation.txt", false), test(dir / "test.txt", false), meta(dir / "meta.txt", false);
  for (std::int32_t u : split.validation_users())
    valid.line(std::to_string(u) + " " + std::to_string(split.validation_target(u)) +
               joined(split.validation_history(u)));
  for (std::int32_t u : split.test_users())
    test.line(std::to_string(u) + " " + std::to_string(split.test_target(u)) + joined(split.test_history(u)));
  for (std::int32_t u : split.meta_users())
    meta.line(std::to_string(u) + " " + std::to_string(split.meta_target(u)) + joined(split.meta_history(u)));
  valid.close(), test.close(), meta.close();

  TextWriter users(dir / "users.tsv", false);
  users.line("user\traw_id\tgroup\tmeta\ttrain_length\tvalidation\ttest");
  for (std::int32_t u = 1; u <= split.num_users(); ++u)
    users.line(std::to_string(u) + "\t" + d.user_names()[size_t(u)] + "\t" + group_name(split.group(u)) + "\t" +
               (split.is_meta(u) ? "1" : "0") + "\t" + std::to_string(split.train_length(u)) + "\t" +
               (split.in_validation(u) ? "1" : "0") + "\t" + (split.in_test(u) ? "1" : "0"));
  users.close();

  TextWriter items(dir / "items.tsv", false);
  items.line("item\traw_id");
  for (std::int32_t i = 1; i <= split.num_items(); ++i)
    items.line(std::to_string(i) + "\t" + d.item_names()[size_t(i)]);
  items.close();

  TextWriter info(dir / "split.json", false);
  info.write(stats_json);
  info.close();
}

}  // namespace l2::app
