#include "nn/checkpoint.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <zlib.h>

#include <cereal/archives/binary.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "nn/bounded_archive.h"

namespace l2::nn {

namespace {

constexpr char kMagic[8] = {'L', '2', 'A', 'U', 'G', 'C', 'K', 'P'};
constexpr size_t kHeader = 8 + 4 + 8 + 4;

// A tensor on disk: its dims and its values.
template <class T>
struct Record {
  std::vector<std::int64_t> dims;
  std::vector<T> data;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(dims, data);
  }
};

struct Payload {
  std::map<std::string, Record<float>> tensors;
  std::map<std::string, Record<std::int32_t>> indices;
  std::map<std::string, std::string> values;
  template <class Archive>
  void serialize(Archive& ar) {
    ar(tensors, indices, values);
  }
};

template <class T>
Record<T> to_record(const BasicTensor<T>& t) {
  Record<T> r;
  for (int i = 0; i < t.ndim(); ++i) r.dims.push_back(t.dim(i));
  r.data.assign(t.data(), t.data() + t.numel());
  return r;
}

template <class T>
BasicTensor<T> from_record(const std::string& path, const std::string& key, const Record<T>& r) {
  L2_CHECK(r.dims.size() <= size_t(Shape::kMaxDims), path << ": array '" << key << "' has " << r.dims.size() << " dims");
  Shape shape;
  std::int64_t numel = 1;
  for (std::int64_t d : r.dims) {
    L2_CHECK(d >= 0, path << ": array '" << key << "' has a negative dimension");
    L2_CHECK(!__builtin_mul_overflow(numel, d, &numel), path << ": array '" << key << "' has an absurd shape (corrupt file)");
    shape = shape.appended(d);
  }
  L2_CHECK(numel == std::int64_t(r.data.size()),
           path << ": array '" << key << "' holds " << r.data.size() << " values for shape " << shape);
  return BasicTensor<T>::from(shape, r.data);
}

template <class T>
void put(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof(T));
}
template <class T>
T get(const std::string& in, size_t at) {
  T v;
  std::memcpy(&v, in.data() + at, sizeof(T));
  return v;
}

std::uint32_t crc_of(const char* p, size_t n) {
  uLong crc = crc32(0L, Z_NULL, 0);
  while (n > 0) {  // zlib takes uInt lengths
    const uInt chunk = n > (1u << 30) ? (1u << 30) : uInt(n);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(p), chunk);
    p += chunk;
    n -= chunk;
  }
  return std::uint32_t(crc);
}

const std::string& host_name() {
  static const std::string name = [] {
    char buf[256] = {};
    return ::gethostname(buf, sizeof buf - 1) == 0 && buf[0] ? std::string(buf) : std::string("localhost");
  }();
  return name;
}

// The temporary of write_file_atomically: "<path>.tmp.<host>.<pid>". The host is in the name
// because on a cluster's shared file system a pid says nothing about another machine's processes.
std::string temporary_for(const std::string& path) {
  return path + ".tmp." + host_name() + "." + std::to_string(::getpid());
}

// Whether `file` is such a temporary, written on this host by a process that no longer runs (killed
// before it could clean up), and, when `name` is given, one for that file name.
bool is_stale_temporary(const std::filesystem::path& file, const std::string& name = "") {
  const std::string base = file.filename().string();
  const auto at = base.find(".tmp." + host_name() + ".");
  if (at == std::string::npos || at == 0 || (!name.empty() && base.substr(0, at) != name)) return false;
  const std::string pid = base.substr(at + 6 + host_name().size());
  if (pid.empty() || pid.size() > 9 || pid.find_first_not_of("0123456789") != std::string::npos) return false;
  return ::kill(pid_t(std::stol(pid)), 0) != 0 && errno == ESRCH;  // no such process: nobody will finish it
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& bytes) {
  const std::filesystem::path target(path);
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path());
  const std::string tmp = temporary_for(path);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  L2_CHECK(fd >= 0, "cannot write " << tmp << ": " << std::strerror(errno));
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t w = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      const int err = errno;
      ::close(fd);
      std::remove(tmp.c_str());
      L2_FAIL("cannot write " << tmp << ": " << std::strerror(err));
    }
    done += size_t(w);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const int err = errno;
    std::remove(tmp.c_str());
    L2_FAIL("cannot flush " << tmp << ": " << std::strerror(err));
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    std::remove(tmp.c_str());
    L2_FAIL("cannot rename " << tmp << " to " << path << ": " << std::strerror(err));
  }
  std::error_code ec;
  const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (is_stale_temporary(entry.path(), target.filename().string())) std::filesystem::remove(entry.path(), ec);
}

void remove_stale_temporaries(const std::string& folder) {
  std::error_code ec;
  std::vector<std::filesystem::path> stale;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(folder, ec))
    if (entry.is_regular_file(ec) && is_stale_temporary(entry.path())) stale.push_back(entry.path());
  for (const auto& p : stale) std::filesystem::remove(p, ec);
}

void save_checkpoint(const std::string& path, const StateDict& state) {
  Payload p;
  for (const auto& [k, t] : state.tensors) p.tensors.emplace(k, to_record(t));
  for (const auto& [k, t] : state.indices) p.indices.emplace(k, to_record(t));
  p.values = state.values;
  std::ostringstream os(std::ios::binary);
  {
    cereal::BinaryOutputArchive ar(os);
    ar(p);
  }
  const std::string payload = os.str();
  std::string file;
  file.reserve(kHeader + payload.size());
  file.append(kMagic, 8);
  put<std::uint32_t>(file, kCheckpointFormat);
  put<std::uint64_t>(file, payload.size());
  put<std::uint32_t>(file, crc_of(payload.data(), payload.size()));
  file += payload;
  write_file_atomically(path, file);
}

StateDict load_checkpoint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  L2_CHECK(in, "cannot open checkpoint " << path << ": " << std::strerror(errno));
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  L2_CHECK(bytes.size() >= kHeader && std::memcmp(bytes.data(), kMagic, 8) == 0,
           path << " is not an l2aug checkpoint (no L2AUGCKP header)");
  const auto version = get<std::uint32_t>(bytes, 8);
  L2_CHECK(version <= kCheckpointFormat, path << ": checkpoint format " << version << " is newer than this build ("
                                              << kCheckpointFormat << "); update l2aug");
  L2_CHECK(version >= kOldestCheckpointFormat, path << ": checkpoint format " << version
                                                    << " is older than any this build reads (oldest "
                                                    << kOldestCheckpointFormat << "); train again to write a new one");
  const auto size = get<std::uint64_t>(bytes, 12);
  const auto crc = get<std::uint32_t>(bytes, 20);
  L2_CHECK(bytes.size() - kHeader == size, path << ": checkpoint is truncated or has trailing bytes (" << bytes.size() - kHeader
                                                << " payload bytes, header says " << size << ")");
  L2_CHECK(crc_of(bytes.data() + kHeader, size) == crc, path << ": checkpoint is corrupt (checksum mismatch)");
  Payload p;
  try {
    BoundedBinaryInputArchive ar(std::string_view(bytes).substr(kHeader));
    ar(p);
  } catch (const std::exception& e) {
    L2_FAIL(path << ": checkpoint payload cannot be read (" << e.what() << ")");
  }
  StateDict s;
  for (auto& [k, r] : p.tensors) s.tensors[k] = from_record(path, k, r);
  for (auto& [k, r] : p.indices) s.indices[k] = from_record(path, k, r);
  s.values = std::move(p.values);
  return s;
}

}  // namespace l2::nn
