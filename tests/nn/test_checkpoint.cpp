#include <signal.h>
#include <sys/resource.h>
#include <zlib.h>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "nn/checkpoint.h"
#include "nn/layers.h"
#include "nn/optim.h"
#include "nn_util.h"

using namespace l2;
using namespace l2::test;
namespace fs = std::filesystem;

namespace {
std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

fs::path temp_dir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("l2aug_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// A small model with an embedding, dropout and a linear head: enough state to make resuming
// non-trivial (parameters, Adam moments, the dropout generator, the data generator, the step).
struct Model : nn::Module {
  std::shared_ptr<Generator> rng = std::make_shared<Generator>(11);
  nn::Embedding emb{20, 8, 0};
  nn::Dropout drop{0.3f, rng};
  nn::Linear head{8, 1};
  Model() {
    register_module("emb", emb);
    register_module("drop", drop);
    register_module("head", head);
    init_parameters(test_init(5));
  }
};

void train_steps(Model& m, nn::Adam& opt, Generator& data, int steps) {
  for (int s = 0; s < steps; ++s) {
    IndexTensor ids = IndexTensor::empty(Shape{16});
    Tensor t = Tensor::empty(Shape{16, 1});
    for (int i = 0; i < 16; ++i) {
      ids[i] = std::int32_t(data.integer(1, 20));
      t[i] = ids[i] % 2 ? 1.0f : 0.0f;
    }
    Var loss = mean(bce_with_logits(m.head.forward(m.drop.forward(m.emb.forward(ids))), t));
    backward(loss);
    opt.step();
    m.zero_grad();
  }
}

nn::StateDict snapshot(const Model& m, const nn::Adam& opt, const Generator& data) {
  nn::StateDict s;
  for (auto& [k, v] : m.state_dict()) s.tensors["model." + k] = v;
  s.merge("optim.", opt.state());
  s.set_u64("rng.counter", m.rng->state().counter);
  s.set_u64("data.counter", data.state().counter);
  return s;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(checkpoint_suite)

BOOST_AUTO_TEST_CASE(round_trip_is_exact_and_leaves_no_temporary_files) {
  const fs::path dir = temp_dir("roundtrip");
  nn::StateDict s;
  s.tensors["a"] = random_tensor(Shape{3, 4}, 1);
  s.tensors["b.c"] = random_tensor(Shape{2, 2, 2, 2}, 2);
  s.tensors["scalar"] = Tensor::scalar(3.5f);
  s.indices["ids"] = IndexTensor::from(Shape{4}, {7, -1, 0, 2147483647});
  s.set("config", "{\"dim\": 8}");
  s.set_int("step", -42);
  const std::string path = (dir / "x.ckpt").string();
  nn::save_checkpoint(path, s);
  nn::save_checkpoint(path, s);  // overwriting works too
  nn::StateDict r = nn::load_checkpoint(path);
  BOOST_TEST(r.tensors.size() == 3u);
  BOOST_TEST(r.tensor("a").to_vector() == s.tensors["a"].to_vector());
  BOOST_TEST(r.tensor("b.c").shape() == (Shape{2, 2, 2, 2}));
  BOOST_TEST(r.tensor("scalar").item() == 3.5f);
  BOOST_TEST((r.index("ids").to_vector() == std::vector<std::int32_t>{7, -1, 0, 2147483647}));
  BOOST_TEST(r.get("config") == "{\"dim\": 8}");
  BOOST_TEST(r.get_int("step") == -42);
  int files = 0;
  for (auto& e : fs::directory_iterator(dir)) files += e.is_regular_file();
  BOOST_TEST(files == 1);
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(corrupt_truncated_foreign_and_missing_files_are_reported) {
  const fs::path dir = temp_dir("corrupt");
  nn::StateDict s;
  s.tensors["w"] = random_tensor(Shape{50}, 1);
  const std::string good = (dir / "good.ckpt").string();
  nn::save_checkpoint(good, s);
  std::string bytes = read_bytes(good);
  auto write = [&](const std::string& name, const std::string& b) {
    std::ofstream(dir / name, std::ios::binary) << b;
    return (dir / name).string();
  };
  std::string flipped = bytes;
  flipped[flipped.size() - 7] ^= 0x10;
  BOOST_TEST(error_of([&] { nn::load_checkpoint(write("flip.ckpt", flipped)); }).find("checksum") != std::string::npos);
  BOOST_TEST(error_of([&] { nn::load_checkpoint(write("cut.ckpt", bytes.substr(0, bytes.size() - 9))); }).find("truncated") !=
             std::string::npos);
  BOOST_TEST(error_of([&] { nn::load_checkpoint(write("short.ckpt", bytes.substr(0, 10))); }).find("not an l2aug") !=
             std::string::npos);
  BOOST_TEST(error_of([&] { nn::load_checkpoint(write("text.ckpt", "hello world, not a checkpoint")); }).find("not an l2aug") !=
             std::string::npos);
  std::string newer = bytes;
  newer[8] = 99;
  BOOST_TEST(error_of([&] { nn::load_checkpoint(write("new.ckpt", newer)); }).find("newer") != std::string::npos);
  const std::string missing = error_of([&] { nn::load_checkpoint((dir / "nope.ckpt").string()); });
  BOOST_TEST(missing.find("nope.ckpt") != std::string::npos);
  fs::remove_all(dir);
}

// Found by tests/fuzz (fuzz_checkpoint): a payload with a valid checksum whose lengths are absurd.
// cereal resized a name to the length the file claimed before reading a byte of it (exabytes, for
// eight corrupt bytes), and dims whose product overflows gave a tensor of "0" elements.
BOOST_AUTO_TEST_CASE(checksum_valid_payloads_with_absurd_lengths_are_refused) {
  using namespace std::string_literals;
  const fs::path dir = temp_dir("absurd");
  auto framed = [&](const std::string& name, const std::string& payload) {
    std::string f("L2AUGCKP", 8);
    const std::uint32_t version = 1;
    const std::uint64_t size = payload.size();
    const auto crc = std::uint32_t(crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(payload.data()), uInt(size)));
    f.append(reinterpret_cast<const char*>(&version), 4).append(reinterpret_cast<const char*>(&size), 8);
    f.append(reinterpret_cast<const char*>(&crc), 4);
    std::ofstream(dir / name, std::ios::binary) << f + payload;
    return (dir / name).string();
  };
  // One tensor whose name claims 2^26 bytes, in a payload of 16.
  const std::string long_name = "\x01\0\0\0\0\0\0\0" "\0\0\0\x04\0\0\0\0"s;
  BOOST_TEST(error_of([&] { nn::load_checkpoint(framed("name.ckpt", long_name)); }).find("corrupt length") !=
             std::string::npos);
  // One tensor "w" of shape (2^40, 2^40, 2^40) and no values; no index arrays, no values.
  const std::string tera = "\0\0\0\0\0\x01\0\0"s;
  const std::string overflow = "\x01\0\0\0\0\0\0\0" "\x01\0\0\0\0\0\0\0" "w" "\x03\0\0\0\0\0\0\0"s + tera + tera + tera +
                               std::string(24, '\0');
  BOOST_TEST(error_of([&] { nn::load_checkpoint(framed("shape.ckpt", overflow)); }).find("absurd shape") !=
             std::string::npos);
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(loading_into_another_shape_names_parameter_and_shapes) {
  const fs::path dir = temp_dir("mismatch");
  nn::Linear small(4, 3), big(5, 3);
  nn::StateDict s;
  s.tensors = small.state_dict();
  nn::save_checkpoint((dir / "m.ckpt").string(), s);
  const std::string e = error_of([&] { big.load_state_dict(nn::load_checkpoint((dir / "m.ckpt").string()).tensors); });
  BOOST_TEST(e.find("weight") != std::string::npos);
  BOOST_TEST(e.find("[4, 3]") != std::string::npos);
  BOOST_TEST(e.find("[5, 3]") != std::string::npos);
  fs::remove_all(dir);
}

// N steps, save, load into fresh objects, M steps == N + M steps without a break, bit for bit.
BOOST_AUTO_TEST_CASE(resume_continues_training_exactly) {
  const fs::path dir = temp_dir("resume");
  nn::AdamOptions o;
  o.lr = 0.05f;
  Model straight;
  nn::Adam opt_s(straight.named_parameters(), o);
  Generator data_s(99);
  train_steps(straight, opt_s, data_s, 12);

  Model first;
  nn::Adam opt_f(first.named_parameters(), o);
  Generator data_f(99);
  train_steps(first, opt_f, data_f, 5);
  nn::save_checkpoint((dir / "r.ckpt").string(), snapshot(first, opt_f, data_f));

  nn::StateDict s = nn::load_checkpoint((dir / "r.ckpt").string());
  Model resumed;
  resumed.load_state_dict(s.extract("model.").tensors);
  nn::Adam opt_r(resumed.named_parameters(), o);
  opt_r.load_state(s.extract("optim."));
  resumed.rng->set_state({11, 0, s.get_u64("rng.counter")});
  Generator data_r(99);
  data_r.set_state({99, 0, s.get_u64("data.counter")});
  train_steps(resumed, opt_r, data_r, 7);

  for (auto& [name, v] : straight.named_parameters())
    BOOST_TEST(bit_equal(v->value.to_vector(), resumed.state_dict().at(name).to_vector()), name);
  BOOST_TEST(opt_r.steps() == 12);
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(temporaries_of_killed_writers_are_removed_by_the_next_write) {
  const fs::path dir = temp_dir("stale_tmp");
  const fs::path target = dir / "result.json";
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  const std::string here = std::string(".tmp.") + host + ".";
  const fs::path dead = dir / ("result.json" + here + "999999999");  // above any pid_max: no such process
  const fs::path alive = dir / ("result.json" + here + std::to_string(::getppid()));  // our parent: running
  const fs::path other = dir / ("other.json" + here + "999999999");
  const fs::path elsewhere = dir / "result.json.tmp.another-host.999999999";  // its writer may run there
  for (const fs::path& p : {dead, alive, other, elsewhere}) std::ofstream(p) << "half-written";
  nn::write_file_atomically(target.string(), "{}");
  BOOST_TEST(!fs::exists(dead));
  BOOST_TEST(fs::exists(alive));      // a running writer's file is left alone
  BOOST_TEST(fs::exists(other));      // another file's temporaries are not this write's business...
  BOOST_TEST(fs::exists(elsewhere));  // ...nor are another machine's
  BOOST_TEST(fs::file_size(target) == 2u);
  nn::remove_stale_temporaries(dir.string());  // what a restarted experiment does with its folder
  BOOST_TEST(!fs::exists(other));
  BOOST_TEST(fs::exists(alive));
  BOOST_TEST(fs::exists(elsewhere));
  fs::remove_all(dir);
}

// Note [Exact doubles]: what set_double writes, get_double reads back with the same bits, through
// a checkpoint file, for values 6 decimals would round or lose.
BOOST_AUTO_TEST_CASE(doubles_round_trip_bit_for_bit) {
  const fs::path dir = temp_dir("doubles");
  const std::vector<double> values = {0.1,
                                      1.0 / 3.0,
                                      -2.0 / 3.0,
                                      1e-300,
                                      1e-7,
                                      std::numeric_limits<double>::denorm_min(),
                                      2.5e-320,  // denormal
                                      DBL_MIN,
                                      -0.0,
                                      0.0,
                                      DBL_MAX,
                                      -1.2345678901234567e300,
                                      123456789.12345679,
                                      std::nextafter(1.0, 2.0),
                                      M_PI,
                                      std::numeric_limits<double>::infinity(),
                                      -std::numeric_limits<double>::infinity()};
  nn::StateDict s;
  // Keys built with std::string(...) + ...: GCC 12 warns (-Wrestrict, a false positive) on "v" + std::string&&.
  auto key = [](size_t i) { return std::string("v") + std::to_string(i); };
  for (size_t i = 0; i < values.size(); ++i) s.set_double(key(i), values[i]);
  nn::save_checkpoint((dir / "d.ckpt").string(), s);
  const nn::StateDict r = nn::load_checkpoint((dir / "d.ckpt").string());
  for (size_t i = 0; i < values.size(); ++i) {
    const double back = r.get_double(key(i));
    BOOST_TEST(std::memcmp(&back, &values[i], sizeof(double)) == 0,
               "value " << i << ": wrote " << r.get(key(i)) << ", read " << back);
  }
  s.set_double("nan", std::numeric_limits<double>::quiet_NaN());
  BOOST_TEST(std::isnan(s.get_double("nan")));
  // Values written by earlier builds (6 decimals) still read; text that is no number is refused by key.
  s.set("old", "0.333333");
  BOOST_TEST(s.get_double("old") == 0.333333);
  for (const char* bad : {"", "abc", "1.5x", "1e999"}) {
    s.set("bad", bad);
    BOOST_TEST(error_of([&] { s.get_double("bad"); }).find("'bad' is not a number") != std::string::npos, bad);
  }
  fs::remove_all(dir);
}

// Format 0 was never written: such a file (or an older format, once there is one) is refused with
// its name and its version, not read as if it were current.
BOOST_AUTO_TEST_CASE(an_older_format_is_refused_naming_file_and_version) {
  const fs::path dir = temp_dir("old_format");
  nn::StateDict s;
  s.tensors["w"] = random_tensor(Shape{5}, 1);
  const std::string path = (dir / "old.ckpt").string();
  nn::save_checkpoint(path, s);
  std::string bytes = read_bytes(path);
  const std::uint32_t old = nn::kOldestCheckpointFormat - 1;
  std::memcpy(bytes.data() + 8, &old, sizeof old);  // the version field follows the 8-byte magic
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  const std::string e = error_of([&] { nn::load_checkpoint(path); });
  BOOST_TEST(e.find(path) != std::string::npos, e);
  BOOST_TEST(e.find("format " + std::to_string(old) + " is older") != std::string::npos, e);
  fs::remove_all(dir);
}

// A write that fails (the temporary cannot be created, or the disk fills up mid-write) throws an
// error naming the file and leaves the previous file as it was, with no temporary left behind.
// Both failures are made in ways that hold for root too: a directory where the temporary goes,
// and a file-size limit (RLIMIT_FSIZE, with SIGXFSZ ignored so that write() fails with EFBIG).
BOOST_AUTO_TEST_CASE(a_failed_write_leaves_the_previous_file_intact) {
  const fs::path dir = temp_dir("failed_write");
  const std::string path = (dir / "state.ckpt").string();
  nn::StateDict before;
  before.tensors["w"] = random_tensor(Shape{4}, 1);
  before.set_int("step", 7);
  nn::save_checkpoint(path, before);
  const auto previous_size = fs::file_size(path);
  nn::StateDict after;
  after.tensors["w"] = random_tensor(Shape{20000}, 2);  // 80 KB: beyond the size limit below
  after.set_int("step", 8);
  auto expect_previous = [&](const std::string& what) {
    const nn::StateDict r = nn::load_checkpoint(path);
    BOOST_TEST(fs::file_size(path) == previous_size, what);
    BOOST_TEST(r.get_int("step") == 7, what);
    BOOST_TEST(bit_equal(r.tensor("w").to_vector(), before.tensors["w"].to_vector()), what);
  };

  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  const fs::path blocked = path + ".tmp." + host + "." + std::to_string(::getpid());
  fs::create_directory(blocked);
  std::string e = error_of([&] { nn::save_checkpoint(path, after); });
  BOOST_TEST(e.find(path) != std::string::npos, e);
  expect_previous("temporary not creatable");
  fs::remove(blocked);

  rlimit saved{};
  ::getrlimit(RLIMIT_FSIZE, &saved);
  rlimit small = saved;
  small.rlim_cur = 16384;
  auto* previous_handler = ::signal(SIGXFSZ, SIG_IGN);
  BOOST_REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
  e = error_of([&] { nn::save_checkpoint(path, after); });
  ::setrlimit(RLIMIT_FSIZE, &saved);
  ::signal(SIGXFSZ, previous_handler);
  BOOST_TEST(e.find(path) != std::string::npos, e);
  BOOST_TEST(e.find("cannot write") != std::string::npos, e);
  expect_previous("disk full");
  int files = 0;
  for (auto& entry : fs::directory_iterator(dir)) files += entry.is_regular_file() || entry.is_directory();
  BOOST_TEST(files == 1);  // the temporary of the failed write is gone
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
