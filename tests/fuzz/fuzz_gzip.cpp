// Fuzz target: the `.gz` path every loader reads through (zlib under recsys::LineReader). The first
// byte chooses what the rest is: odd, a MovieLens file that this target gzip-compresses, so that the
// fuzzer explores the lines behind the decompression; even, the bytes of a `.gz` file as they are,
// so that it explores corrupt, truncated and concatenated gzip streams.
#include "fuzz_loader.h"
#include "recsys/data/text_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest = l2::fuzz::as_view(data + 1, size - 1);
  const std::filesystem::path path = l2::fuzz::temp_dir() / "u.data.gz";
  if (data[0] & 1) {
    l2::recsys::TextWriter w(path, true);
    w.write(rest);
    w.close();
  } else {
    l2::fuzz::write_input(path.filename().string(), rest);
  }
  l2::fuzz::prepare_both_ways(path, l2::recsys::Format::movielens);
  return 0;
}
