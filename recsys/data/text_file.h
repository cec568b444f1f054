// Text files, plain or gzip-compressed, read line by line and written line by line through zlib.
// zlib's gz* functions read an uncompressed file transparently, so every loader streams `.gz`
// dumps (Amazon, Goodreads) and plain files through the same code without unpacking them first.
// Only one buffer of the file is in memory at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace l2::recsys {

// A LineReader holds lines shorter than this. Real records are far shorter (an Amazon review line is a
// few KB); a file without line breaks (binary data, a wrong path) would otherwise be read whole
// into memory before any parser could refuse it.
inline constexpr std::size_t kMaxLineBytes = std::size_t(1) << 26;

class LineReader {
 public:
  explicit LineReader(std::filesystem::path path);  // throws naming the file if it cannot be opened
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line without its "\n" or "\r\n"; the view is valid until the next call. False at the
  // end of the file. Throws on a read error or truncated/corrupt gzip data.
  bool next(std::string_view& line);
  std::int64_t line_number() const { return line_; }  // 1-based number of the line last returned
  const std::filesystem::path& path() const { return path_; }
  std::string where() const;  // "path:line", the prefix of every message about this line

 private:
  bool refill();  // reads more bytes; false at the end of the file

  std::filesystem::path path_;
  void* file_ = nullptr;  // gzFile (kept opaque so that this header does not pull in zlib.h)
  // Not a std::vector: resizing one zeroes it, and zeroing the 256 KB of every file opened cost more
  // than reading a small file (the fuzz targets open thousands per second).
  std::unique_ptr<char[]> buf_;
  std::size_t capacity_ = 0;
  std::size_t begin_ = 0, end_ = 0;
  bool eof_ = false;
  std::int64_t line_ = 0;
};

// Writes a text file, gzip-compressed when `gzip` is true (for exporting data in loader formats).
class TextWriter {
 public:
  TextWriter(std::filesystem::path path, bool gzip);
  ~TextWriter();  // closes; errors at close time are reported by close(), not here
  TextWriter(const TextWriter&) = delete;
  TextWriter& operator=(const TextWriter&) = delete;
  void write(std::string_view text);
  void line(std::string_view text);  // text + "\n"
  void close();                      // flushes and throws on failure

 private:
  std::filesystem::path path_;
  void* file_ = nullptr;
};

// True when the file starts with the gzip magic bytes.
bool is_gzip_file(const std::filesystem::path& path);
// The first non-blank line of a file (plain or gzip), or "" when there is none.
std::string first_line(const std::filesystem::path& path);

}  // namespace l2::recsys
