// A fast 64-bit content hash for dataset fingerprints and cache keys (not cryptographic): it must
// tell a changed input file or setting from an unchanged one, quickly, on files of gigabytes.
// Four independent lanes each fold 8-byte words through the splitmix64 finaliser (tensor/random.h),
// so the multiplies of different lanes overlap (~6 GB/s); the digest mixes lanes and length.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace l2::recsys {

class Hasher {
 public:
  Hasher();
  Hasher& update(const void* data, std::size_t n);
  // A string with its length in front, so that ("ab","c") and ("a","bc") differ.
  Hasher& update_field(std::string_view s);
  Hasher& update_u64(std::uint64_t v);
  std::uint64_t digest() const;

 private:
  void block(const unsigned char* p);  // one 32-byte block, one word per lane

  std::uint64_t lanes_[4];
  unsigned char buffer_[32];
  std::size_t buffered_ = 0;
  std::uint64_t total_ = 0;
};

std::uint64_t hash_bytes(std::string_view s);
// The hash of a file's bytes as stored (a .gz file is hashed compressed). Throws naming the file.
std::uint64_t hash_file(const std::filesystem::path& path);
std::string to_hex(std::uint64_t v);  // 16 lower-case hex digits

}  // namespace l2::recsys
