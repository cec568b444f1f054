#include <boost/test/unit_test.hpp>
#include <sstream>

#include "../../recsys/recsys_test_util.h"
#include "l2aug/app/data_export.h"
#include "recsys/data/synthetic.h"

using namespace l2::recsys;
using namespace l2::app;
using l2::test::ScratchDir;

namespace {
std::vector<std::vector<std::int64_t>> numbers(const std::filesystem::path& p) {
  std::vector<std::vector<std::int64_t>> out;
  std::istringstream in(l2::test::read_text(p));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::vector<std::int64_t> row;
    std::int64_t v;
    while (ls >> v) row.push_back(v);
    out.push_back(row);
  }
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(export_suite)

BOOST_AUTO_TEST_CASE(exported_files_match_the_split_accessors) {
  const auto d = std::make_shared<const Dataset>(
      build_dataset(generate_synthetic(parse_synthetic_spec("synthetic:users=200,items=100,topics=5")).log, {}, 0));
  const Split s(d, ProtocolConfig{});
  ScratchDir dir("export");
  export_split(s, dir.path(), "{}");

  const auto train = numbers(dir / "train.txt");
  std::size_t k = 0;
  for (std::int32_t u = 1; u <= s.num_users(); ++u) {
    if (s.train_sequence(u).empty()) continue;
    BOOST_REQUIRE(k < train.size());
    BOOST_TEST(train[k][0] == u);
    BOOST_TEST(std::vector<std::int64_t>(train[k].begin() + 1, train[k].end()) ==
                   std::vector<std::int64_t>(s.train_sequence(u).begin(), s.train_sequence(u).end()),
               boost::test_tools::per_element());
    ++k;
  }
  BOOST_TEST(k == train.size());

  const auto meta = numbers(dir / "meta.txt");
  BOOST_TEST(meta.size() == s.meta_users().size());
  for (const auto& row : meta) {
    const auto u = std::int32_t(row[0]);
    BOOST_TEST(s.is_meta(u));
    BOOST_TEST(row[1] == s.meta_target(u));
    BOOST_TEST(row.size() == s.meta_history(u).size() + 2);
  }
  const auto test = numbers(dir / "test.txt");
  BOOST_TEST(test.size() == s.test_users().size());
  for (const auto& row : test) BOOST_TEST(row[1] == s.test_target(std::int32_t(row[0])));
  BOOST_TEST(numbers(dir / "validation.txt").size() == s.validation_users().size());

  const std::string users = l2::test::read_text(dir / "users.tsv");
  BOOST_TEST(l2::test::contains(users, "user\traw_id\tgroup\tmeta\ttrain_length\tvalidation\ttest\n"));
  BOOST_TEST(std::count(users.begin(), users.end(), '\n') == s.num_users() + 1);
  BOOST_TEST(l2::test::read_text(dir / "split.json") == "{}");
}

BOOST_AUTO_TEST_SUITE_END()
