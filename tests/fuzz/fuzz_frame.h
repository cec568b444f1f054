// Checkpoints and cache files carry a checksum of their payload, so random bytes almost never get
// past the frame into the payload's parser. The first input byte therefore chooses: even, the rest
// is the file as it is (the frame's own checks); odd, the rest is a payload that the target frames
// with a correct header, so that the fuzzer explores what a checksum-valid but corrupt or malicious
// file does to the parser behind it.
#pragma once

#include <zlib.h>

#include <cstring>

#include "fuzz_util.h"
#include "recsys/data/hash.h"

namespace l2::fuzz {

template <class T>
void append_raw(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

// The frame of nn/checkpoint.cpp: "L2AUGCKP" | version u32 | size u64 | CRC-32 u32 | payload.
inline std::string checkpoint_frame(std::string_view payload) {
  std::string f("L2AUGCKP", 8);
  append_raw<std::uint32_t>(f, 1);
  append_raw<std::uint64_t>(f, payload.size());
  append_raw<std::uint32_t>(
      f, std::uint32_t(crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(payload.data()), uInt(payload.size()))));
  f += payload;
  return f;
}

// The frame of recsys/data/cache.cpp: "L2AUGDS\0" | version u32 | reserved u32 | size u64 | hash u64 | payload.
inline std::string cache_frame(std::string_view payload) {
  std::string f("L2AUGDS\0", 8);
  append_raw<std::uint32_t>(f, 1);
  append_raw<std::uint32_t>(f, 0);
  append_raw<std::uint64_t>(f, payload.size());
  append_raw<std::uint64_t>(f, recsys::hash_bytes(payload));
  f += payload;
  return f;
}

// The file a target reads for this input: see the comment at the top.
template <class Frame>
std::filesystem::path framed_input(const std::string& name, const std::uint8_t* data, std::size_t size, Frame frame) {
  if (size == 0) return write_input(name, {});
  const std::string_view rest = as_view(data + 1, size - 1);
  return (data[0] & 1) ? write_input(name, frame(rest)) : write_input(name, rest);
}

}  // namespace l2::fuzz
