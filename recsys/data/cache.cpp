#include "recsys/data/cache.h"

#include <cereal/archives/binary.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "nn/bounded_archive.h"
#include "nn/checkpoint.h"
#include "recsys/data/hash.h"
#include "tensor/check.h"

namespace l2::recsys {

namespace {

constexpr char kMagic[8] = {'L', '2', 'A', 'U', 'G', 'D', 'S', '\0'};

struct Header {
  char magic[8];
  std::uint32_t version;
  std::uint32_t reserved;
  std::uint64_t payload_size;
  std::uint64_t payload_hash;
};

}  // namespace

std::filesystem::path default_cache_dir() {
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::filesystem::path(x) / "l2aug";
  if (const char* h = std::getenv("HOME"); h && *h) return std::filesystem::path(h) / ".cache" / "l2aug";
  return std::filesystem::path(".l2aug-cache");
}

void write_cache(const std::filesystem::path& file, const std::string& key, const Split& split) {
  std::ostringstream payload_stream(std::ios::binary);
  {
    cereal::BinaryOutputArchive ar(payload_stream);
    ar(key, split);
  }
  const std::string payload = payload_stream.str();
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.version = kCacheFormatVersion;
  h.payload_size = payload.size();
  h.payload_hash = hash_bytes(payload);

  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  L2_CHECK(!ec, file.parent_path().string() << ": cannot create the cache folder: " << ec.message());
  std::string bytes(reinterpret_cast<const char*>(&h), sizeof h);
  bytes += payload;
  nn::write_file_atomically(file.string(), bytes);
}

std::optional<Split> read_cache(const std::filesystem::path& file, const std::string& key, std::string* why) {
  auto reject = [&](const std::string& reason) -> std::optional<Split> {
    if (why) *why = reason;
    return std::nullopt;
  };
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (!f) return reject("missing");
  Header h{};
  std::string payload;
  const bool header_ok = std::fread(&h, sizeof h, 1, f) == 1;
  // The payload size must be what the file holds: a corrupt header could otherwise make the
  // reader allocate whatever it claims before reading.
  std::error_code ec;
  const std::uint64_t file_size = std::filesystem::file_size(file, ec);
  if (header_ok && std::memcmp(h.magic, kMagic, sizeof kMagic) == 0 && h.version == kCacheFormatVersion &&
      !ec && h.payload_size == file_size - sizeof h) {
    payload.resize(size_t(h.payload_size));
    const bool body_ok = std::fread(payload.data(), 1, payload.size(), f) == payload.size();
    const bool at_end = std::fgetc(f) == EOF;
    std::fclose(f);
    if (!body_ok || !at_end) return reject("corrupt: size does not match the header");
  } else {
    std::fclose(f);
    if (!header_ok) return reject("corrupt: truncated header");
    if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0) return reject("corrupt: not an l2aug cache file");
    if (h.version != kCacheFormatVersion) return reject("stale: cache format v" + std::to_string(h.version));
    return reject("corrupt: size does not match the header");
  }
  if (hash_bytes(payload) != h.payload_hash) return reject("corrupt: payload hash mismatch");
  try {
    nn::BoundedBinaryInputArchive ar(payload);
    std::string stored_key;
    ar(stored_key);
    if (stored_key != key) return reject("stale: written for other settings");
    Split split;
    ar(split);
    return split;
  } catch (const std::exception& e) {
    return reject(std::string("corrupt: ") + e.what());
  }
}

}  // namespace l2::recsys
