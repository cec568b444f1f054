// Helpers of the recsys tests: fixture paths, a scratch folder per test, gzip copies made with zlib
// directly (independent of the TextWriter under test), and the expected content of the toy fixture.
#pragma once

#include <unistd.h>
#include <zlib.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "recsys/data/dataset.h"
#include "recsys/data/loaders.h"
#include "recsys/data/prepare.h"
#include "tensor/check.h"

namespace l2::test {

// The fixtures folder as the loaders see it. The toy dataset's MovieLens and paired-file versions
// are kept in the repository under neutral names (fixtures/toy_named/) so that no file there can be
// mistaken for a copy of the real datasets, whose licences forbid redistribution; they are
// installed under the names the loaders detect (u.data, ratings.dat, *_item_org_rank.txt +
// *_time_org_rank.txt) in a copy of the folder made once per test process.
inline const std::filesystem::path& fixtures_root() {
  namespace fs = std::filesystem;
  struct Root {
    fs::path path;
    Root() {
      const fs::path src = fs::path(L2_SOURCE_DIR) / "tests" / "recsys" / "fixtures";
      path = fs::temp_directory_path() / ("l2aug-test-fixtures-" + std::to_string(::getpid()));
      fs::remove_all(path);
      fs::copy(src, path, fs::copy_options::recursive);
      const std::pair<const char*, const char*> named[] = {
          {"movielens.tsv", "movielens/u.data"},
          {"movielens_dat.txt", "movielens_dat/ratings.dat"},
          {"paired_items.txt", "paired/Toy_item_org_rank.txt"},
          {"paired_times.txt", "paired/Toy_time_org_rank.txt"}};
      for (const auto& [from, to] : named) {
        fs::create_directories((path / to).parent_path());
        fs::copy_file(src / "toy_named" / from, path / to);
      }
    }
    ~Root() {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  };
  static const Root root;
  return root.path;
}

inline std::filesystem::path fixture(const std::string& relative) { return fixtures_root() / relative; }

// The built-in synthetic platform under `spec` ("synthetic" or "synthetic:users=...,..."),
// prepared once per process, without the user's cache folder.
inline const recsys::Split& synthetic_split(const std::string& spec) {
  static std::map<std::string, std::unique_ptr<recsys::Prepared>> prepared;
  std::unique_ptr<recsys::Prepared>& p = prepared[spec];
  if (!p) {
    recsys::DataConfig c;
    c.load.data = spec;
    c.cache.enabled = false;
    p.reset(new recsys::Prepared(recsys::prepare_data(c)));  // built in place: the split points into it
  }
  return p->split;
}

// A fresh folder under the system temp dir, removed when the object goes out of scope.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag) {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("l2aug-test-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  // Writes `text` to a file in this folder and returns its path.
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    const auto p = path_ / name;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

 private:
  std::filesystem::path path_;
};

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// gzip-compresses `from` into `to` with zlib.
inline void gzip_file(const std::filesystem::path& from, const std::filesystem::path& to) {
  const std::string data = read_text(from);
  gzFile f = gzopen(to.c_str(), "wb9");
  BOOST_REQUIRE(f);
  BOOST_REQUIRE(gzwrite(f, data.data(), unsigned(data.size())) == int(data.size()));
  BOOST_REQUIRE(gzclose(f) == Z_OK);
}

// Loads a file or folder through the public path (detection + loader) into a Dataset.
inline recsys::Dataset load_path(const std::filesystem::path& p, recsys::LoadConfig config = {}) {
  config.data = p.string();
  const auto source = recsys::resolve_source(p, config.format);
  return recsys::build_dataset(recsys::load_raw(source, config), {}, 0);
}

struct Row {
  std::string user, item;
  std::int64_t time;
};
// A Dataset from rows given in "file order".
inline recsys::Dataset make_dataset(const std::vector<Row>& rows, const recsys::DatasetConfig& config = {},
                                    const std::string& name = "test") {
  recsys::RawLog log;
  log.name = name;
  log.source = "test rows";
  for (const Row& r : rows) log.add(r.user, r.item, r.time);
  log.report.lines = log.report.rows;
  return recsys::build_dataset(std::move(log), config, 0);
}

inline std::vector<std::int32_t> vec(std::span<const std::int32_t> s) { return {s.begin(), s.end()}; }

// The toy fixture (fixtures/README.md) as raw ids: each user's items and times in time order.
inline void expect_toy(const recsys::Dataset& d) {
  BOOST_TEST(d.num_users() == 3);
  BOOST_TEST(d.num_items() == 5);
  BOOST_TEST(d.num_interactions() == 10);
  const std::vector<std::string> users = {"", "1", "2", "3"}, items = {"", "101", "102", "103", "104", "105"};
  BOOST_TEST(d.user_names() == users, boost::test_tools::per_element());
  BOOST_TEST(d.item_names() == items, boost::test_tools::per_element());
  const std::vector<std::vector<std::int32_t>> seq = {{}, {1, 2, 3, 4}, {2, 5, 1}, {3, 4, 5}};
  const std::vector<std::vector<std::int64_t>> time = {{},
                                                       {1000000000, 1000086400, 1000086400, 1003000000},
                                                       {1000500000, 1001000000, 1002000000},
                                                       {999000000, 1002456000, 1005912000}};
  for (std::int32_t u = 1; u <= 3; ++u) {
    const auto it = d.items_of(u);
    const auto tt = d.times_of(u);
    BOOST_TEST(std::vector<std::int32_t>(it.begin(), it.end()) == seq[size_t(u)], boost::test_tools::per_element());
    BOOST_TEST(std::vector<std::int64_t>(tt.begin(), tt.end()) == time[size_t(u)], boost::test_tools::per_element());
  }
}

// Runs fn and returns the l2::Error message it throws ("" if it does not throw).
template <class F>
std::string error_of(F&& fn) {
  try {
    fn();
  } catch (const l2::Error& e) {
    return e.what();
  }
  return {};
}

inline bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace l2::test
