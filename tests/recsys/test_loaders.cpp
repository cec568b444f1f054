#include <boost/test/unit_test.hpp>

#include "recsys/data/formats.h"
#include "recsys/data/loaders.h"
#include "recsys_test_util.h"

using namespace l2::recsys;
using l2::test::contains;
using l2::test::error_of;
using l2::test::expect_toy;
using l2::test::fixture;
using l2::test::load_path;
using l2::test::ScratchDir;

namespace {

// Each fixture of the toy dataset, with the settings it needs.
struct Case {
  const char* path;  // under fixtures/
  std::optional<Format> format;
  std::string columns;
  Format detected;
};
const Case kCases[] = {
    {"movielens", std::nullopt, "", Format::movielens},
    {"movielens_dat", std::nullopt, "", Format::movielens_dat},
    {"paired", std::nullopt, "", Format::paired},
    {"amazon2014", std::nullopt, "", Format::amazon_json},
    {"amazon2018", std::nullopt, "", Format::amazon_json},
    {"amazon_csv", std::nullopt, "", Format::amazon_csv},
    {"amazon_csv_2018/Toy.csv", Format::amazon_csv_2018, "", Format::amazon_csv_2018},
    {"goodreads", std::nullopt, "", Format::goodreads},
    {"recbole", std::nullopt, "", Format::recbole},
    {"delimited/toy.csv", Format::delimited, "user=visitor,item=product id,time=when", Format::delimited},
};

LoadConfig config_of(const Case& c) {
  LoadConfig config;
  config.format = c.format;
  config.columns = c.columns;
  return config;
}

// Loads `text` written as `name` in a scratch folder; returns the error message ("" on success).
std::string load_error(const std::string& name, const std::string& text, LoadConfig config = {}) {
  ScratchDir dir("bad");
  const auto p = dir.write(name, text);
  return error_of([&] { load_path(p, config); });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(loaders_suite)

BOOST_AUTO_TEST_CASE(every_format_reads_the_toy_dataset) {
  for (const Case& c : kCases) {
    BOOST_TEST_CONTEXT("fixture " << c.path) {
      const auto source = resolve_source(fixture(c.path), c.format);
      BOOST_TEST(format_name(source.format) == format_name(c.detected));
      expect_toy(load_path(fixture(c.path), config_of(c)));
    }
  }
}

BOOST_AUTO_TEST_CASE(gzip_and_plain_give_the_same_dataset) {
  for (const Case& c : kCases) {
    BOOST_TEST_CONTEXT("fixture " << c.path) {
      ScratchDir dir("gzcopy");
      const auto source = resolve_source(fixture(c.path), c.format);
      for (const auto& f : source.files) l2::test::gzip_file(f, dir / (f.filename().string() + ".gz"));
      const auto target = std::filesystem::is_directory(fixture(c.path))
                              ? dir.path()
                              : dir / (fixture(c.path).filename().string() + ".gz");
      const Dataset gz = load_path(target, config_of(c));
      expect_toy(gz);
      BOOST_TEST(resolve_source(target, c.format).files[0].extension() == ".gz");
    }
  }
}

BOOST_AUTO_TEST_CASE(goodreads_reads_the_chosen_date_field) {
  LoadConfig config;
  config.time_field = "date_updated";  // one hour after date_added in the fixture
  const Dataset d = load_path(fixture("goodreads"), config);
  BOOST_TEST(d.times_of(1)[0] == 1000000000 + 3600);
  config.time_field = "read_at";  // empty in every line
  const std::string err = error_of([&] { load_path(fixture("goodreads"), config); });
  BOOST_TEST(contains(err, "goodreads_interactions_toy.json:1: missing field \"read_at\""));
}

BOOST_AUTO_TEST_CASE(detection_of_files_and_folders) {
  BOOST_TEST(resolve_source(fixture("movielens/u.data"), std::nullopt).name == "movielens");  // the folder's name
  const auto paired = resolve_source(fixture("paired/Toy_time_org_rank.txt"), std::nullopt);  // either file of the pair
  BOOST_TEST(paired.files.size() == 2u);
  BOOST_TEST(paired.name == "toy");
  BOOST_TEST(resolve_source(fixture("amazon_csv"), std::nullopt).name == "toy");
  BOOST_TEST(int(resolve_source(fixture("recbole/toy.inter"), std::nullopt).format) == int(Format::recbole));

  ScratchDir dir("detect");
  dir.write("notes.txt", "hello\n");
  BOOST_TEST(contains(error_of([&] { resolve_source(dir / "notes.txt", std::nullopt); }), "unknown format"));
  BOOST_TEST(contains(error_of([&] { resolve_source(dir.path(), std::nullopt); }), "no interaction file found"));
  dir.write("u.data", "1\t2\t3\t4\n");
  dir.write("ratings.dat", "1::2::3::4\n");
  BOOST_TEST(contains(error_of([&] { resolve_source(dir.path(), std::nullopt); }), "several interaction files"));
  BOOST_TEST(int(resolve_source(dir.path(), Format::movielens_dat).format) ==
             int(Format::movielens_dat));  // --format picks one
  BOOST_TEST(contains(error_of([&] { resolve_source(dir / "nope", std::nullopt); }), "no such file"));
  // A CSV with a header of usual names is a delimited file; without one it is ambiguous.
  dir.write("log.csv", "user_id,item_id,timestamp\n1,2,3\n");
  BOOST_TEST(int(resolve_source(dir / "log.csv", std::nullopt).format) == int(Format::delimited));
  dir.write("Books.csv", "0001,A1,5.0,1234\n");
  BOOST_TEST(contains(error_of([&] { resolve_source(dir / "Books.csv", std::nullopt); }), "--format"));
  // A paired file without its partner.
  dir.write("Lone_item_org_rank.txt", "1 2 3\n");
  BOOST_TEST(contains(error_of([&] { resolve_source(dir / "Lone_item_org_rank.txt", std::nullopt); }),
                      "Lone_time_org_rank.txt is missing"));
}

BOOST_AUTO_TEST_CASE(malformed_delimited_lines_name_file_and_line) {
  BOOST_TEST(contains(load_error("u.data", "1\t2\t5\t100\n1\t3\t5\n"),
                      "u.data:2: expected 4 fields separated by '\\t', found 3"));
  BOOST_TEST(
      contains(load_error("u.data", "1\t2\t5\tabc\n"), "u.data:1: time 'abc' is neither unix seconds nor a date"));
  BOOST_TEST(contains(load_error("u.data", "1\t2\t5\t100\n\n1\t2\t5\t1588615855070\n"),
                      "u.data:3: time 1588615855070 out of range"));
  BOOST_TEST(contains(load_error("u.data", "1\t\t5\t100\n"), "u.data:1: empty item id"));
  BOOST_TEST(contains(load_error("ratings.dat", "1::2::3\n"), "ratings.dat:1: expected 4 fields separated by '::'"));
  BOOST_TEST(contains(load_error("ratings_X.csv", "A1,\"B2,5.0,100\n"), "ratings_X.csv:1: unterminated quote"));
  // The message says how to go on.
  BOOST_TEST(contains(load_error("u.data", "1\t2\n"), "--skip-malformed"));
}

BOOST_AUTO_TEST_CASE(empty_files) {
  BOOST_TEST(contains(load_error("u.data", ""), "u.data: empty file"));
  BOOST_TEST(contains(load_error("u.data", "\n  \n\n"), "u.data: empty file"));
  BOOST_TEST(contains(load_error("x.inter", ""), "empty file (no header line)"));
  BOOST_TEST(contains(load_error("x.inter", "user_id:token\titem_id:token\ttimestamp:float\n"), "empty file"));
  LoadConfig skip;
  skip.skip_malformed = true;
  BOOST_TEST(contains(load_error("u.data", "a\nb\n", skip), "all 2 lines are malformed"));
}

BOOST_AUTO_TEST_CASE(skip_malformed_counts_and_reports) {
  ScratchDir dir("skip");
  const auto p = dir.write("u.data", "1\t2\t5\t100\nbroken line\n1\t3\t5\t200\n2\t3\t5\tlater\n2\t2\t5\t300\n");
  LoadConfig config;
  config.skip_malformed = true;
  const RawLog log = load_raw(resolve_source(p, std::nullopt), config);
  BOOST_TEST(log.report.lines == 5);
  BOOST_TEST(log.report.rows == 3);
  BOOST_TEST(log.report.skipped == 2);
  BOOST_TEST(contains(log.report.first_skipped, "u.data:2: expected 4 fields"));
}

BOOST_AUTO_TEST_CASE(misaligned_pair_files_name_both_lines) {
  ScratchDir dir("pairs");
  dir.write("Bad_item_org_rank.txt", "1 10 11\n2 10 12 13\n");
  dir.write("Bad_time_org_rank.txt", "1 100 200\n\n2 100 200\n");  // a blank line shifts the time file
  const std::string err = error_of([&] { load_path(dir.path()); });
  BOOST_TEST(contains(err, "Bad_item_org_rank.txt:2 and "));
  BOOST_TEST(contains(err, "Bad_time_org_rank.txt:3: misaligned pair: user 2 has 3 items but 2 times"));

  ScratchDir dir2("pairs2");
  dir2.write("Bad_item_org_rank.txt", "1 10 11\n2 10\n");
  dir2.write("Bad_time_org_rank.txt", "1 100 200\n3 100\n");
  BOOST_TEST(contains(error_of([&] { load_path(dir2.path()); }), "misaligned pair: user '2' vs user '3'"));

  ScratchDir dir3("pairs3");
  dir3.write("Bad_item_org_rank.txt", "1 10 11\n2 10\n3 10\n");
  dir3.write("Bad_time_org_rank.txt", "1 100 200\n2 100\n");
  const std::string err3 = error_of([&] { load_path(dir3.path()); });
  BOOST_TEST(contains(err3, "Bad_item_org_rank.txt:3 has no partner line"));
  BOOST_TEST(contains(err3, "Bad_time_org_rank.txt ends after line 2"));

  ScratchDir dir4("pairs4");
  dir4.write("Bad_item_org_rank.txt", "1 10 11\n");
  dir4.write("Bad_time_org_rank.txt", "1 100 x\n");
  BOOST_TEST(contains(error_of([&] { load_path(dir4.path()); }), "Bad_time_org_rank.txt:1: field 3: time 'x'"));
}

BOOST_AUTO_TEST_CASE(paired_times_that_decrease_name_file_line_and_fields) {
  ScratchDir dir("pairs-order");
  dir.write("Order_item_org_rank.txt", "1 10 11 12\n2 10 11 12\n");
  dir.write("Order_time_org_rank.txt", "1 100 200 300\n2 100 300 200\n");
  const std::string err = error_of([&] { load_path(dir.path()); });
  BOOST_TEST(contains(err, "Order_time_org_rank.txt:2: times decrease: field 4 (200) is earlier than field 3 (300)"));
  // Equal times are fine (two interactions in the same second), and --skip-malformed skips the line.
  ScratchDir ties("pairs-ties");
  ties.write("Ties_item_org_rank.txt", "1 10 11 12\n2 10 11 12\n");
  ties.write("Ties_time_org_rank.txt", "1 100 100 300\n2 100 300 200\n");
  LoadConfig skip;
  skip.skip_malformed = true;
  const RawLog log = load_raw(resolve_source(ties.path(), std::nullopt), skip);
  BOOST_TEST(log.report.rows == 3);
  BOOST_TEST(contains(log.report.first_skipped, "Ties_time_org_rank.txt:2: times decrease"));
}

BOOST_AUTO_TEST_CASE(quoted_bad_bytes_are_escaped_in_messages) {
  using namespace std::string_literals;
  // A NUL inside a field is shown as \x00 and does not end the message there.
  const std::string err = load_error("u.data", "1\t2\t5\t88\0001\n"s);
  BOOST_TEST(contains(err, "u.data:1: time '88\\x001' is neither unix seconds nor a date"));
  BOOST_TEST(err.find('\0') == std::string::npos);
  BOOST_TEST(contains(load_error("x.inter", "user_id:token\titem_id:token\tts:\x1b[31m\n"),
                      "RecBole field 'ts:\\x1B[31m' has unknown type '\\x1B[31m'"));
  ScratchDir dir("pairs-esc");
  dir.write("Esc_item_org_rank.txt", "1\x01 10\n");
  dir.write("Esc_time_org_rank.txt", "1 100\n");
  BOOST_TEST(contains(error_of([&] { load_path(dir.path()); }), "misaligned pair: user '1\\x01' vs user '1'"));
}

BOOST_AUTO_TEST_CASE(malformed_json_lines_name_file_and_line) {
  const std::string ok = R"({"reviewerID": "A", "asin": "B", "unixReviewTime": 100})";
  BOOST_TEST(contains(load_error("reviews_X.json", ok + "\n" + R"({"reviewerID": "A", "unixReviewTime": 100})" + "\n"),
                      "reviews_X.json:2: missing field \"asin\""));
  BOOST_TEST(
      contains(load_error("reviews_X.json", ok + "\n" + R"({"reviewerID": "A", "asin": "B" "unixReviewTime": 1})"),
               "reviews_X.json:2: malformed JSON: column"));
  BOOST_TEST(contains(load_error("reviews_X.json", R"({"reviewerID": "A", "asin": "B", "unixReviewTime": "soon"})"),
                      "reviews_X.json:1: unixReviewTime: time 'soon'"));
  const std::string gr = R"({"user_id": "u", "book_id": "b", "date_added": "Fri Foo 25 13:55:02 -0700 2017"})";
  BOOST_TEST(contains(load_error("goodreads_x.json", gr),
                      "goodreads_x.json:1: date_added 'Fri Foo 25 13:55:02 -0700 2017' is not a date"));
}

BOOST_AUTO_TEST_CASE(header_problems_are_reported) {
  BOOST_TEST(contains(load_error("x.inter", "user_id:token\titem_id:token\ttimestamp:date\n1\t2\t3\n"),
                      "x.inter:1: RecBole field 'timestamp:date' has unknown type 'date'"));
  BOOST_TEST(contains(load_error("x.inter", "user_id:token,item_id:token,timestamp:float\n1,2,3\n"),
                      "is not name:type (is the separator a tab?)"));
  BOOST_TEST(contains(load_error("log.csv", "user_id,item_id,rating\n1,2,3\n"),
                      "log.csv:1: cannot tell which column is the time"));
  LoadConfig named;
  named.columns = "time=stamp";
  BOOST_TEST(contains(load_error("log.csv", "user_id,item_id,ts\n1,2,3\n", named),
                      "no column named 'stamp' (from --columns time=stamp)"));
  named.columns = "when=ts";
  BOOST_TEST(contains(load_error("log.csv", "user_id,item_id,ts\n1,2,3\n", named), "--columns: expected user=NAME"));
  // A delimited row with the wrong number of fields names the line.
  BOOST_TEST(contains(load_error("log.csv", "user_id,item_id,ts\n1,2,3\n1,2\n"), "log.csv:3: expected 3 fields"));
}

BOOST_AUTO_TEST_CASE(delimited_guesses_delimiter_and_columns) {
  ScratchDir dir("delim");
  const auto p = dir.write("log.tsv", "timestamp\tuserId\tmovieId\n1000\tu1\ti1\n900\tu1\ti2\n");
  const Dataset d = load_path(p);
  BOOST_TEST(d.num_users() == 1);
  BOOST_TEST(d.item_names()[size_t(d.items_of(1)[0])] == "i2");  // sorted by time
  LoadConfig semi;
  semi.delimiter = ";";
  const auto q = dir.write("log2.csv", "user_id;item_id;timestamp\na;b;5\n");
  BOOST_TEST(load_path(q, semi).num_interactions() == 1);
}

BOOST_AUTO_TEST_SUITE_END()
