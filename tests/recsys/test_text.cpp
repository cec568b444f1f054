#include <boost/test/unit_test.hpp>

#include "recsys/data/text.h"
#include "recsys_test_util.h"

using namespace l2::recsys;
using l2::test::contains;

BOOST_AUTO_TEST_SUITE(text_suite)

BOOST_AUTO_TEST_CASE(split_fields_keeps_empty_fields_and_multichar_delimiters) {
  std::vector<std::string_view> f;
  split_fields("1::2::::4", "::", f);
  BOOST_TEST(f.size() == 4u);
  BOOST_TEST(f[2] == "");
  BOOST_TEST(f[3] == "4");
  split_fields("a\tb\t", "\t", f);
  BOOST_TEST(f.size() == 3u);
  BOOST_TEST(f[2] == "");
}

BOOST_AUTO_TEST_CASE(split_whitespace_ignores_runs_and_ends) {
  std::vector<std::string_view> f;
  split_whitespace("  7  1 \t 2  ", f);
  BOOST_TEST(f.size() == 3u);
  BOOST_TEST(f[0] == "7");
  BOOST_TEST(f[2] == "2");
}

BOOST_AUTO_TEST_CASE(split_quoted_strips_quotes_and_detects_unterminated) {
  std::vector<std::string_view> f;
  BOOST_TEST(split_quoted("1,\"a,b\",3", ',', f));
  BOOST_TEST(f.size() == 3u);
  BOOST_TEST(f[1] == "a,b");
  BOOST_TEST(split_quoted("x,", ',', f));
  BOOST_TEST(f.size() == 2u);
  BOOST_TEST(!split_quoted("1,\"open", ',', f));
  BOOST_TEST(!split_quoted("1,\"a\"b,3", ',', f));  // text after a closing quote
}

BOOST_AUTO_TEST_CASE(numbers_must_fill_the_field) {
  std::int64_t v = 0;
  BOOST_TEST(parse_int64("-42", v));
  BOOST_TEST(v == -42);
  BOOST_TEST(parse_int64("+7", v));
  BOOST_TEST(v == 7);
  BOOST_TEST(!parse_int64("12x", v));
  BOOST_TEST(!parse_int64("", v));
  BOOST_TEST(!parse_int64("+", v));
  BOOST_TEST(!parse_int64("99999999999999999999", v));  // overflow
  double d = 0;
  BOOST_TEST(parse_double("881250949.5", d));
  BOOST_TEST(!parse_double("1e999", d));
}

BOOST_AUTO_TEST_CASE(time_values_accept_seconds_decimals_and_dates) {
  std::int64_t t = 0;
  BOOST_TEST(parse_time_value("881250949", t).empty());
  BOOST_TEST(t == 881250949);
  BOOST_TEST(parse_time_value(" 881250949.9 ", t).empty());
  BOOST_TEST(t == 881250949);
  BOOST_TEST(parse_time_value("2009-01-01", t).empty());
  BOOST_TEST(t == 1230768000);
  BOOST_TEST(parse_time_value("2009-01-01T00:00:01Z", t).empty());
  BOOST_TEST(t == 1230768001);
}

BOOST_AUTO_TEST_CASE(time_errors_say_what_is_wrong) {
  std::int64_t t = 0;
  BOOST_TEST(contains(parse_time_value("abc", t), "neither unix seconds nor a date"));
  BOOST_TEST(contains(parse_time_value("1588615855070", t), "out of range"));  // milliseconds
  BOOST_TEST(contains(parse_time_value("1588615855070", t), "milliseconds?"));
  BOOST_TEST(contains(parse_time_value("-5", t), "out of range"));
  BOOST_TEST(contains(parse_time_value("", t), "empty"));
  BOOST_TEST(contains(parse_time_value("2009-02-30", t), "neither"));  // no such day
}

BOOST_AUTO_TEST_CASE(format_number_is_shortest_round_trip) {
  BOOST_TEST(format_number(0.1) == "0.1");
  BOOST_TEST(format_number(30.0) == "30");
  BOOST_TEST(std::stod(format_number(1.0 / 3.0)) == 1.0 / 3.0);
}

BOOST_AUTO_TEST_CASE(escape_text_shows_control_and_invalid_bytes_as_hex) {
  using namespace std::string_literals;
  BOOST_TEST(escape_text("user 42, item a-b") == "user 42, item a-b");
  BOOST_TEST(escape_text("1\0002"s) == "1\\x002");
  BOOST_TEST(escape_text("a\tb") == "a\\x09b");
  BOOST_TEST(escape_text("\x1b[2Jgone") == "\\x1B[2Jgone");  // ESC: no terminal control sequence
  BOOST_TEST(escape_text("line\r") == "line\\x0D");
  BOOST_TEST(escape_text("\x7f") == "\\x7F");
  // Valid UTF-8 stays readable; invalid sequences and C1 controls are escaped byte by byte.
  BOOST_TEST(escape_text("café ☕ 𝄞") == "café ☕ 𝄞");
  BOOST_TEST(escape_text("caf\xe9") == "caf\\xE9");                 // Latin-1, not UTF-8
  BOOST_TEST(escape_text("\xc3\x28") == "\\xC3(");                   // a lead byte without its continuation
  BOOST_TEST(escape_text("\xc0\xaf") == "\\xC0\\xAF");              // overlong '/'
  BOOST_TEST(escape_text("\xed\xa0\x80") == "\\xED\\xA0\\x80");  // a UTF-16 surrogate
  BOOST_TEST(escape_text("\xc2\x9b") == "\\xC2\\x9B");              // C1 CSI
  BOOST_TEST(escape_text("\xe2\x98") == "\\xE2\\x98");              // truncated at the end of the text
}

BOOST_AUTO_TEST_CASE(escape_text_shortens_long_text_between_characters) {
  BOOST_TEST(escape_text(std::string(300, 'x')) == std::string(200, 'x') + "...");
  BOOST_TEST(escape_text("abcdef", 6) == "abcdef");
  BOOST_TEST(escape_text("abcdefg", 6) == "abcdef...");
  BOOST_TEST(escape_text("abcdé", 5) == "abcd...");  // é is two bytes: it is not cut in half
}

BOOST_AUTO_TEST_SUITE_END()
