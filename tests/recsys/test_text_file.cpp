#include <boost/test/unit_test.hpp>

#include "recsys/data/text_file.h"
#include "recsys_test_util.h"

using namespace l2::recsys;
using l2::test::contains;
using l2::test::error_of;
using l2::test::ScratchDir;

namespace {
std::vector<std::string> all_lines(const std::filesystem::path& p) {
  LineReader r(p);
  std::vector<std::string> out;
  std::string_view line;
  while (r.next(line)) out.emplace_back(line);
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(text_file_suite)

BOOST_AUTO_TEST_CASE(lines_without_end_of_line_characters) {
  ScratchDir dir("lines");
  const auto p = dir.write("a.txt", "one\r\ntwo\n\nthree");  // CRLF, an empty line, no final newline
  const auto lines = all_lines(p);
  BOOST_TEST(lines.size() == 4u);
  BOOST_TEST(lines[0] == "one");
  BOOST_TEST(lines[2] == "");
  BOOST_TEST(lines[3] == "three");
  LineReader r(p);
  std::string_view line;
  r.next(line), r.next(line);
  BOOST_TEST(r.line_number() == 2);
  BOOST_TEST(contains(r.where(), "a.txt:2"));
}

BOOST_AUTO_TEST_CASE(lines_longer_than_the_buffer_and_many_lines) {
  ScratchDir dir("long");
  std::string big(1 << 20, 'x');  // one line of 1 MiB: longer than the read buffer
  std::string text = "a\n" + big + "\nb\n";
  for (int i = 0; i < 100000; ++i) text += std::to_string(i) + "\n";
  const auto p = dir.write("big.txt", text);
  const auto lines = all_lines(p);
  BOOST_TEST(lines.size() == 100003u);
  BOOST_TEST(lines[1] == big);
  BOOST_TEST(lines.back() == "99999");
}

// A file without line breaks is refused at kMaxLineBytes, naming the file and the line, instead of
// being read whole (gzip keeps the test file small: 64 MiB of one byte compresses to ~64 KB).
BOOST_AUTO_TEST_CASE(a_line_longer_than_the_cap_is_an_error_naming_the_line) {
  ScratchDir dir("cap");
  {
    TextWriter w(dir / "huge.txt.gz", true);
    w.line("first");
    const std::string chunk(1 << 20, 'z');
    for (std::size_t written = 0; written <= kMaxLineBytes; written += chunk.size()) w.write(chunk);
    w.close();
  }
  const std::string err = error_of([&] { all_lines(dir / "huge.txt.gz"); });
  BOOST_TEST(contains(err, "huge.txt.gz:2: a line of 64 MiB or more"), err);
}

BOOST_AUTO_TEST_CASE(gzip_reads_like_the_plain_file) {
  ScratchDir dir("gz");
  std::string text;
  for (int i = 0; i < 50000; ++i) text += "line " + std::to_string(i * 7919 % 100003) + "\n";
  const auto plain = dir.write("t.txt", text);
  l2::test::gzip_file(plain, dir / "t.txt.gz");
  BOOST_TEST(is_gzip_file(dir / "t.txt.gz"));
  BOOST_TEST(!is_gzip_file(plain));
  BOOST_TEST(all_lines(plain) == all_lines(dir / "t.txt.gz"));
}

// The buffers are sized to the file: a small gzip file can still hold lines far longer than itself.
BOOST_AUTO_TEST_CASE(small_gzip_file_with_lines_longer_than_itself) {
  ScratchDir dir("gzlong");
  const std::string big(300000, 'y');  // compresses to well under 4 KB
  const auto plain = dir.write("t.txt", "a\n" + big + "\n" + big + "b\nc");
  l2::test::gzip_file(plain, dir / "t.txt.gz");
  BOOST_TEST(std::filesystem::file_size(dir / "t.txt.gz") < 4096u);
  const auto lines = all_lines(dir / "t.txt.gz");
  BOOST_TEST(lines.size() == 4u);
  BOOST_TEST(lines[1] == big);
  BOOST_TEST(lines[2] == big + "b");
  BOOST_TEST(lines[3] == "c");
}

BOOST_AUTO_TEST_CASE(truncated_gzip_is_an_error_not_a_short_file) {
  ScratchDir dir("trunc");
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "row " + std::to_string(i) + "\n";
  const auto plain = dir.write("t.txt", text);
  l2::test::gzip_file(plain, dir / "t.txt.gz");
  const std::string gz = l2::test::read_text(dir / "t.txt.gz");
  const auto cut = dir.write("cut.txt.gz", gz.substr(0, gz.size() / 2));
  const std::string err = error_of([&] { all_lines(cut); });
  BOOST_TEST(contains(err, "cut.txt.gz"));
  BOOST_TEST(contains(err, "truncated"));
}

BOOST_AUTO_TEST_CASE(missing_file_is_named) {
  const std::string err = error_of([] { LineReader r("/nonexistent/l2aug.txt"); });
  BOOST_TEST(contains(err, "/nonexistent/l2aug.txt"));
}

BOOST_AUTO_TEST_CASE(writer_plain_and_gzip_read_back) {
  ScratchDir dir("writer");
  for (bool gzip : {false, true}) {
    const auto p = dir / (gzip ? "w.txt.gz" : "w.txt");
    TextWriter w(p, gzip);
    w.line("alpha");
    w.write("beta\n");
    w.close();
    BOOST_TEST(is_gzip_file(p) == gzip);
    const auto lines = all_lines(p);
    BOOST_TEST(lines.size() == 2u);
    BOOST_TEST(lines[1] == "beta");
  }
}

BOOST_AUTO_TEST_SUITE_END()
