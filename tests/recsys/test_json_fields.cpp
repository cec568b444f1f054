#include <boost/test/unit_test.hpp>

#include "recsys/data/json_fields.h"
#include "recsys_test_util.h"

using namespace l2::recsys;
using l2::test::contains;

namespace {
struct Three {
  JsonField f[3];
  Three(std::string_view a, std::string_view b, std::string_view c) { f[0].key = a, f[1].key = b, f[2].key = c; }
};
}  // namespace

BOOST_AUTO_TEST_SUITE(json_fields_suite)

BOOST_AUTO_TEST_CASE(reads_top_level_fields_and_skips_the_rest) {
  Three t("reviewerID", "asin", "unixReviewTime");
  const std::string line =
      R"({"overall": 5.0, "style": {"asin": "NESTED", "x": [1, {"y": "}"}]}, "reviewerID": "A2SUAM1J3GNN3B", )"
      R"("reviewText": "a \"quoted\" {brace} [bracket], comma", "asin": "0000013714", "unixReviewTime": 1252800000})";
  BOOST_TEST(extract_json_fields(line, t.f).empty());
  BOOST_TEST(t.f[0].value == "A2SUAM1J3GNN3B");
  BOOST_TEST(t.f[1].value == "0000013714");  // the top-level asin, not the nested one
  BOOST_TEST(t.f[1].is_string);
  BOOST_TEST(t.f[2].value == "1252800000");
  BOOST_TEST(!t.f[2].is_string);
}

BOOST_AUTO_TEST_CASE(unescapes_strings_and_accepts_single_quotes) {
  Three t("a", "b", "c");
  BOOST_TEST(extract_json_fields(R"({"a": "x\"y\\z\/\u00e9\ud83d\ude00", 'b': 'it\'s', "c": null})", t.f).empty());
  BOOST_TEST(t.f[0].value == "x\"y\\z/\xC3\xA9\xF0\x9F\x98\x80");
  BOOST_TEST(t.f[1].value == "it's");
  BOOST_TEST(t.f[2].found);
  BOOST_TEST(t.f[2].value == "null");
}

BOOST_AUTO_TEST_CASE(absent_fields_stay_not_found) {
  Three t("a", "zz", "c");
  BOOST_TEST(extract_json_fields(R"({"a": 1, "c": true})", t.f).empty());
  BOOST_TEST(t.f[0].found);
  BOOST_TEST(!t.f[1].found);
  BOOST_TEST(t.f[2].value == "true");
  BOOST_TEST(extract_json_fields("{}", t.f).empty());
  BOOST_TEST(!t.f[0].found);  // reset by each call
}

BOOST_AUTO_TEST_CASE(syntax_errors_name_the_column) {
  Three t("a", "b", "c");
  BOOST_TEST(contains(extract_json_fields(R"({"a" 1})", t.f), "expected ':'"));
  BOOST_TEST(contains(extract_json_fields(R"({"a": "open)", t.f), "unterminated string"));
  BOOST_TEST(contains(extract_json_fields(R"({"a": 1,)", t.f), "column"));
  BOOST_TEST(contains(extract_json_fields(R"({"a": [1, 2)", t.f), "unterminated"));
  BOOST_TEST(contains(extract_json_fields(R"(["a"])", t.f), "expected '{'"));
  BOOST_TEST(contains(extract_json_fields(R"({"a": 1} trailing)", t.f), "after the end"));
  BOOST_TEST(contains(extract_json_fields("", t.f), "expected '{'"));
}

BOOST_AUTO_TEST_SUITE_END()
