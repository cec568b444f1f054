#include <boost/test/unit_test.hpp>
#include <cereal/archives/binary.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <cstdlib>
#include <sstream>

#include "recsys/data/cache.h"
#include "recsys/data/hash.h"
#include "recsys/data/prepare.h"
#include "recsys_test_util.h"

using namespace l2::recsys;
using l2::test::contains;
using l2::test::error_of;
using l2::test::fixture;
using l2::test::ScratchDir;

namespace {

// A DataConfig over a private copy of the MovieLens toy fixture, caching into `cache`.
DataConfig config_for(const std::filesystem::path& data, const std::filesystem::path& cache) {
  DataConfig c;
  c.load.data = data.string();
  c.protocol.cutoff = {CutoffChoice::Kind::fixed, 1001000000};
  c.cache.dir = cache;
  return c;
}

bool same_split(const Split& a, const Split& b) {
  if (a.num_users() != b.num_users() || a.num_items() != b.num_items() || a.cutoff() != b.cutoff()) return false;
  if (a.dataset().fingerprint() != b.dataset().fingerprint()) return false;
  for (std::int32_t u = 1; u <= a.num_users(); ++u) {
    if (l2::test::vec(a.dataset().items_of(u)) != l2::test::vec(b.dataset().items_of(u))) return false;
    if (a.train_length(u) != b.train_length(u) || a.group(u) != b.group(u) || a.is_meta(u) != b.is_meta(u))
      return false;
  }
  return a.dataset().user_names() == b.dataset().user_names() && a.dataset().item_names() == b.dataset().item_names();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cache_suite)

BOOST_AUTO_TEST_CASE(second_run_hits_and_gives_the_same_split) {
  ScratchDir dir("cache");
  const auto data = dir.write("ml/u.data", l2::test::read_text(fixture("movielens/u.data")));
  const DataConfig c = config_for(data.parent_path(), dir / "cache");
  const Prepared first = prepare_data(c);
  BOOST_TEST(first.cache_status == "miss (written)");
  BOOST_TEST(std::filesystem::exists(first.cache_file));
  BOOST_TEST(first.cache_file.parent_path() == dir / "cache");  // never beside the input
  const Prepared second = prepare_data(c);
  BOOST_TEST(second.cache_status == "hit");
  BOOST_TEST(second.cache_file == first.cache_file);
  BOOST_TEST(same_split(first.split, second.split));
  BOOST_TEST(second.split.dataset().load_report().rows == 10);  // the load report survives the cache
  // No temporary file is left behind.
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "cache")) files += e.is_regular_file();
  BOOST_TEST(files == 1);
}

BOOST_AUTO_TEST_CASE(any_changed_setting_or_byte_misses) {
  ScratchDir dir("cache-inval");
  const auto data = dir.write("ml/u.data", l2::test::read_text(fixture("movielens/u.data")));
  const DataConfig base = config_for(data.parent_path(), dir / "cache");
  prepare_data(base);
  BOOST_TEST(prepare_data(base).cache_status == "hit");
  auto variant = [&](auto change) {
    DataConfig c = base;
    change(c);
    return prepare_data(c);
  };
  // Each changed setting gets its own cache file, built fresh.
  BOOST_TEST(variant([](DataConfig& c) { c.protocol.meta_fraction = 0.5; }).cache_status == "miss (written)");
  BOOST_TEST(variant([](DataConfig& c) { c.protocol.cutoff.time += 1; }).cache_status == "miss (written)");
  BOOST_TEST(variant([](DataConfig& c) { c.protocol.groups.gap_days = 10; }).cache_status == "miss (written)");
  BOOST_TEST(variant([](DataConfig& c) { c.protocol.split = SplitKind::leave_one_out; }).cache_status ==
             "miss (written)");
  BOOST_TEST(variant([](DataConfig& c) { c.dataset.kcore = 2; }).cache_status == "miss (written)");
  BOOST_TEST(variant([](DataConfig& c) { c.load.skip_malformed = true; }).cache_status == "miss (written)");
  BOOST_TEST(variant([](DataConfig& c) { c.protocol.seed = 5; }).cache_status == "miss (written)");
  // A changed input file: one timestamp edited, same size.
  std::string text = l2::test::read_text(data);
  text.replace(text.find("1000000000"), 10, "1000000001");
  dir.write("ml/u.data", text);
  const Prepared edited = prepare_data(base);
  BOOST_TEST(edited.cache_status == "miss (written)");
  BOOST_TEST(edited.split.dataset().times_of(1)[0] == 1000000001);
}

BOOST_AUTO_TEST_CASE(corrupt_or_foreign_cache_files_are_rebuilt) {
  ScratchDir dir("cache-corrupt");
  const auto data = dir.write("ml/u.data", l2::test::read_text(fixture("movielens/u.data")));
  const DataConfig c = config_for(data.parent_path(), dir / "cache");
  const Prepared first = prepare_data(c);
  const std::string good = l2::test::read_text(first.cache_file);

  std::string flipped = good;
  flipped[flipped.size() - 5] ^= 0x40;  // one bit in the payload
  dir.write("cache/" + first.cache_file.filename().string(), flipped);
  const Prepared a = prepare_data(c);
  BOOST_TEST(contains(a.cache_status, "rebuilt (corrupt: payload hash mismatch)"));
  BOOST_TEST(same_split(a.split, first.split));
  BOOST_TEST(prepare_data(c).cache_status == "hit");  // and the rebuilt file is good again

  dir.write("cache/" + first.cache_file.filename().string(), good.substr(0, good.size() / 2));
  BOOST_TEST(contains(prepare_data(c).cache_status, "corrupt: size does not match"));
  dir.write("cache/" + first.cache_file.filename().string(), "junk");
  BOOST_TEST(contains(prepare_data(c).cache_status, "corrupt: truncated header"));

  std::string why;
  BOOST_TEST(!read_cache(first.cache_file, "another key", &why));
  BOOST_TEST(why == "stale: written for other settings");
  BOOST_TEST(!read_cache(dir / "none.l2data", "k", &why));
  BOOST_TEST(why == "missing");
}

// Found by tests/fuzz (fuzz_cache): a file with a valid header and hash whose payload claims a
// settings text of 2^26 bytes in 8; cereal allocated whatever a length said before reading.
BOOST_AUTO_TEST_CASE(hash_valid_payload_with_an_absurd_length_is_corrupt) {
  using namespace std::string_literals;
  ScratchDir dir("cache-absurd");
  const std::string payload = "\0\0\0\x04\0\0\0\0"s;
  std::string file("L2AUGDS\0"s);
  const std::uint32_t version = kCacheFormatVersion, reserved = 0;
  const std::uint64_t size = payload.size(), hash = hash_bytes(payload);
  file.append(reinterpret_cast<const char*>(&version), 4).append(reinterpret_cast<const char*>(&reserved), 4);
  file.append(reinterpret_cast<const char*>(&size), 8).append(reinterpret_cast<const char*>(&hash), 8);
  const auto p = dir.write("x.l2data", file + payload);
  std::string why;
  BOOST_TEST(!read_cache(p, "k", &why));
  BOOST_TEST(contains(why, "corrupt length"));
}

// Found by tests/fuzz (fuzz_cache): a header claiming a 64 GB payload in a 40-byte file was
// allocated before the read found the file short.
BOOST_AUTO_TEST_CASE(header_claiming_more_than_the_file_holds_is_corrupt) {
  using namespace std::string_literals;
  ScratchDir dir("cache-short");
  std::string file("L2AUGDS\0"s);
  const std::uint32_t version = kCacheFormatVersion, reserved = 0;
  const std::uint64_t size = std::uint64_t(1) << 36, hash = 0;
  file.append(reinterpret_cast<const char*>(&version), 4).append(reinterpret_cast<const char*>(&reserved), 4);
  file.append(reinterpret_cast<const char*>(&size), 8).append(reinterpret_cast<const char*>(&hash), 8);
  const auto p = dir.write("x.l2data", file + "8 bytes.");
  std::string why;
  BOOST_TEST(!read_cache(p, "k", &why));
  BOOST_TEST(why == "corrupt: size does not match the header");
}

// Found by tests/fuzz (fuzz_cache): a hash-valid cache whose split gives a user group 255 made
// Split::build_lists index past its two group counters. A loaded split is now checked against its
// dataset first. The payload is written field by field as Split::save lays it out.
BOOST_AUTO_TEST_CASE(hash_valid_split_that_does_not_fit_its_dataset_is_corrupt) {
  RawLog log;
  log.add("u1", "a", 100), log.add("u1", "b", 200), log.add("u2", "a", 300);
  const Dataset d = build_dataset(std::move(log), DatasetConfig{}, 1);
  auto cache_with = [&](std::vector<std::int32_t> train_len, std::vector<std::uint8_t> flags,
                        std::vector<std::uint8_t> groups) {
    std::ostringstream os(std::ios::binary);
    {
      cereal::BinaryOutputArchive ar(os);
      ar(std::string("k"), d, ProtocolConfig{}, std::int64_t(150), std::string("fixed"), train_len, flags, groups);
    }
    const std::string payload = os.str();
    std::string file("L2AUGDS\0", 8);
    const std::uint32_t version = kCacheFormatVersion, reserved = 0;
    const std::uint64_t size = payload.size(), hash = hash_bytes(payload);
    file.append(reinterpret_cast<const char*>(&version), 4).append(reinterpret_cast<const char*>(&reserved), 4);
    file.append(reinterpret_cast<const char*>(&size), 8).append(reinterpret_cast<const char*>(&hash), 8);
    ScratchDir dir("cache-split");
    std::string why;
    const bool read = read_cache(dir.write("x.l2data", file + payload), "k", &why).has_value();
    return read ? std::string("read") : why;
  };
  BOOST_TEST(cache_with({0, 1, 0}, {0, 1, 0}, {0, 0, 0}) == "read");  // the layout is right
  BOOST_TEST(contains(cache_with({0, 1, 0}, {0, 1, 0}, {0, 255, 0}), "corrupt: split: user 1 has an unknown group"));
  BOOST_TEST(contains(cache_with({0, 1}, {0, 1}, {0, 0}), "corrupt: split: 2 train lengths"));
  BOOST_TEST(contains(cache_with({0, 5, 0}, {0, 0, 0}, {0, 0, 0}), "user 1 has 5 training interactions of 2"));
  BOOST_TEST(contains(cache_with({0, 1, 1}, {0, 2, 0}, {0, 0, 0}), "user 1 has flags 2"));  // a test target past the end
}

BOOST_AUTO_TEST_CASE(a_failed_load_leaves_no_cache) {
  ScratchDir dir("cache-fail");
  dir.write("ml/u.data", "1\t2\t3\t100\nbad line\n");
  const DataConfig c = config_for(dir / "ml", dir / "cache");
  BOOST_TEST(contains(error_of([&] { prepare_data(c); }), "u.data:2"));
  BOOST_TEST((!std::filesystem::exists(dir / "cache") || std::filesystem::is_empty(dir / "cache")));
}

BOOST_AUTO_TEST_CASE(default_folder_follows_xdg) {
  const char* old = std::getenv("XDG_CACHE_HOME");
  const std::string saved = old ? old : "";
  ::setenv("XDG_CACHE_HOME", "/tmp/xdg-test", 1);
  BOOST_TEST(default_cache_dir() == std::filesystem::path("/tmp/xdg-test/l2aug"));
  if (old)
    ::setenv("XDG_CACHE_HOME", saved.c_str(), 1);
  else
    ::unsetenv("XDG_CACHE_HOME");
}

BOOST_AUTO_TEST_SUITE_END()
