// A cereal binary input archive over bytes in memory that refuses any length prefix larger than
// the bytes left. cereal's own BinaryInputArchive resizes a string or vector to whatever length a
// file claims before it reads a byte, so eight corrupt bytes could ask for exabytes; here a length
// can never exceed what the file could hold, and a corrupt file is an exception like any other
// unreadable one. It reads what cereal::BinaryOutputArchive writes.
#pragma once

#include <cereal/archives/binary.hpp>
#include <cereal/cereal.hpp>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace l2::nn {

class BoundedBinaryInputArchive
    : public cereal::InputArchive<BoundedBinaryInputArchive, cereal::AllowEmptyClassElision> {
 public:
  explicit BoundedBinaryInputArchive(std::string_view bytes)
      : cereal::InputArchive<BoundedBinaryInputArchive, cereal::AllowEmptyClassElision>(this), bytes_(bytes) {}

  void loadBinary(void* data, std::size_t size) {
    if (size > remaining())
      throw cereal::Exception("truncated: " + std::to_string(size) + " bytes wanted at offset " + std::to_string(pos_) +
                              ", " + std::to_string(remaining()) + " left");
    if (size > 0) std::memcpy(data, bytes_.data() + pos_, size);
    pos_ += size;
  }
  std::size_t remaining() const { return bytes_.size() - pos_; }

 private:
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

template <class T>
inline std::enable_if_t<std::is_arithmetic_v<T>> CEREAL_LOAD_FUNCTION_NAME(BoundedBinaryInputArchive& ar, T& t) {
  ar.loadBinary(std::addressof(t), sizeof(t));
}

template <class T>
inline void CEREAL_SERIALIZE_FUNCTION_NAME(BoundedBinaryInputArchive& ar, cereal::NameValuePair<T>& t) {
  ar(t.value);
}

// Every element of a container takes at least one byte in the file, so a count above the bytes
// left is corrupt; this bounds what a container may allocate by a small multiple of the file size.
template <class T>
inline void CEREAL_SERIALIZE_FUNCTION_NAME(BoundedBinaryInputArchive& ar, cereal::SizeTag<T>& t) {
  ar(t.size);
  if (std::uint64_t(t.size) > ar.remaining())
    throw cereal::Exception("corrupt length: " + std::to_string(std::uint64_t(t.size)) + " elements, " +
                            std::to_string(ar.remaining()) + " bytes left");
}

template <class T>
inline void CEREAL_LOAD_FUNCTION_NAME(BoundedBinaryInputArchive& ar, cereal::BinaryData<T>& bd) {
  ar.loadBinary(bd.data, static_cast<std::size_t>(bd.size));
}

}  // namespace l2::nn

// Half of CEREAL_SETUP_ARCHIVE_TRAITS: cereal's BinaryOutputArchive already names its input archive.
namespace cereal::traits::detail {
template <>
struct get_output_from_input<l2::nn::BoundedBinaryInputArchive> {
  using type = cereal::BinaryOutputArchive;
};
}  // namespace cereal::traits::detail
