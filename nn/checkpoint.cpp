#include "nn/checkpoint.h"

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cereal/archives/binary.hpp>
#include <cereal/types/map.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

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
  for (std::int64_t d : r.dims) {
    L2_CHECK(d >= 0, path << ": array '" << key << "' has a negative dimension");
    shape = shape.appended(d);
  }
  L2_CHECK(shape.numel() == std::int64_t(r.data.size()),
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

}  // namespace

void write_file_atomically(const std::string& path, const std::string& bytes) {
  const std::filesystem::path target(path);
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path());
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
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
  const auto size = get<std::uint64_t>(bytes, 12);
  const auto crc = get<std::uint32_t>(bytes, 20);
  L2_CHECK(bytes.size() - kHeader == size, path << ": checkpoint is truncated or has trailing bytes (" << bytes.size() - kHeader
                                                << " payload bytes, header says " << size << ")");
  L2_CHECK(crc_of(bytes.data() + kHeader, size) == crc, path << ": checkpoint is corrupt (checksum mismatch)");
  Payload p;
  try {
    std::istringstream is(bytes.substr(kHeader), std::ios::binary);
    cereal::BinaryInputArchive ar(is);
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
