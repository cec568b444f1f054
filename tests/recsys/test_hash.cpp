#include <boost/test/unit_test.hpp>

#include "recsys/data/hash.h"
#include "recsys_test_util.h"

using namespace l2::recsys;

BOOST_AUTO_TEST_SUITE(hash_suite)

BOOST_AUTO_TEST_CASE(streaming_in_any_pieces_gives_the_same_digest) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data += char('a' + i * 7 % 26);
  const std::uint64_t whole = hash_bytes(data);
  for (size_t piece : {1u, 3u, 31u, 32u, 33u, 500u}) {
    Hasher h;
    for (size_t k = 0; k < data.size(); k += piece) h.update(data.data() + k, std::min(piece, data.size() - k));
    BOOST_TEST(h.digest() == whole);
  }
}

BOOST_AUTO_TEST_CASE(any_change_changes_the_digest) {
  const std::string a(100, 'x');
  std::string b = a;
  b[57] = 'y';
  BOOST_TEST(hash_bytes(a) != hash_bytes(b));
  BOOST_TEST(hash_bytes(a) != hash_bytes(a.substr(0, 99)));
  BOOST_TEST(hash_bytes("") != hash_bytes(std::string(1, '\0')));  // the length counts
  BOOST_TEST(Hasher().update_field("ab").update_field("c").digest() !=
             Hasher().update_field("a").update_field("bc").digest());
}

BOOST_AUTO_TEST_CASE(file_hash_is_the_hash_of_its_bytes) {
  l2::test::ScratchDir dir("hash");
  const auto p = dir.write("f.txt", "hello\nworld\n");
  BOOST_TEST(hash_file(p) == hash_bytes("hello\nworld\n"));
  std::string big;  // larger than the 1 MB read buffer: read in several chunks
  for (int i = 0; big.size() < (3u << 20); ++i) big += std::to_string(i * 2654435761u) + "\n";
  BOOST_TEST(hash_file(dir.write("big.txt", big)) == hash_bytes(big));
  BOOST_TEST(to_hex(0x1234) == "0000000000001234");
  BOOST_CHECK_THROW(hash_file(dir / "missing"), l2::Error);
}

BOOST_AUTO_TEST_SUITE_END()
