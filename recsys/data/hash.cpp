#include "recsys/data/hash.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "tensor/check.h"
#include "tensor/random.h"

namespace l2::recsys {

Hasher::Hasher() {
  for (int k = 0; k < 4; ++k) lanes_[k] = mix64(kGolden * std::uint64_t(k + 1));
}

void Hasher::block(const unsigned char* p) {
  for (int k = 0; k < 4; ++k) {
    std::uint64_t w;
    std::memcpy(&w, p + 8 * k, 8);
    lanes_[k] = mix64(lanes_[k] ^ w) + kGolden;
  }
}

Hasher& Hasher::update(const void* data, std::size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  total_ += n;
  if (buffered_ > 0) {  // finish the pending block first
    const std::size_t take = std::min(n, sizeof buffer_ - buffered_);
    std::memcpy(buffer_ + buffered_, p, take);
    buffered_ += take, p += take, n -= take;
    if (buffered_ < sizeof buffer_) return *this;
    block(buffer_);
    buffered_ = 0;
  }
  for (; n >= sizeof buffer_; p += sizeof buffer_, n -= sizeof buffer_) block(p);
  std::memcpy(buffer_, p, n);
  buffered_ = n;
  return *this;
}

Hasher& Hasher::update_field(std::string_view s) {
  update_u64(s.size());
  return update(s.data(), s.size());
}

Hasher& Hasher::update_u64(std::uint64_t v) { return update(&v, sizeof v); }

std::uint64_t Hasher::digest() const {
  std::uint64_t lanes[4] = {lanes_[0], lanes_[1], lanes_[2], lanes_[3]};
  if (buffered_ > 0) {  // the tail, zero-padded; the length below tells tails apart
    unsigned char last[32] = {};
    std::memcpy(last, buffer_, buffered_);
    for (int k = 0; k < 4; ++k) {
      std::uint64_t w;
      std::memcpy(&w, last + 8 * k, 8);
      lanes[k] = mix64(lanes[k] ^ w) + kGolden;
    }
  }
  std::uint64_t h = mix64(total_ ^ 0x6C32617567ull);
  for (int k = 0; k < 4; ++k) h = mix64(h ^ lanes[k]) + kGolden * std::uint64_t(k + 1);
  return mix64(h);
}

std::uint64_t hash_bytes(std::string_view s) { return Hasher().update(s.data(), s.size()).digest(); }

std::uint64_t hash_file(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  L2_CHECK(f, path.string() << ": cannot open: " << std::strerror(errno));
  Hasher h;
  // A buffer of the file's size up to 1 MB: small files do not pay for a large allocation.
  std::error_code ec;
  const std::size_t size = std::filesystem::file_size(path, ec);
  const std::size_t chunk = std::clamp<std::size_t>(ec ? 0 : size + 1, std::size_t(1) << 12, std::size_t(1) << 20);
  const auto buf = std::make_unique_for_overwrite<char[]>(chunk);  // not zeroed: only what fread wrote is read
  std::size_t n;
  while ((n = std::fread(buf.get(), 1, chunk, f)) > 0) h.update(buf.get(), n);
  const bool failed = std::ferror(f);
  std::fclose(f);
  L2_CHECK(!failed, path.string() << ": read error while hashing");
  return h.digest();
}

std::string to_hex(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace l2::recsys
