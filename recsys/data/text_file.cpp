#include "recsys/data/text_file.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "recsys/data/text.h"
#include "tensor/check.h"

namespace l2::recsys {

namespace {
// Read and zlib buffers are sized to the file, between these bounds: large enough that a big file
// is read in few calls, no larger than a small file needs (allocating 256 KB to read a 2 KB file
// costs more than reading it, and dominated the fuzz targets' time).
constexpr std::size_t kMinChunk = 1 << 12;
constexpr std::size_t kReadChunk = 1 << 18;
constexpr std::size_t kGzBuffer = 1 << 17;

gzFile gz(void* f) { return static_cast<gzFile>(f); }

// zlib's message for the last error on f, or "" when there is none. Z_BUF_ERROR at the end of the
// input means the compressed stream stopped early: a truncated download.
std::string gz_error(void* f, bool at_end) {
  int code = Z_OK;
  const char* msg = gzerror(gz(f), &code);
  if (code == Z_OK) return {};
  if (code == Z_BUF_ERROR && !at_end) return {};
  if (code == Z_ERRNO) return std::strerror(errno);
  return std::string(msg ? msg : "zlib error") + (code == Z_BUF_ERROR ? " (truncated gzip file?)" : "");
}
}  // namespace

LineReader::LineReader(std::filesystem::path path) : path_(std::move(path)) {
  std::error_code ec;
  L2_CHECK(std::filesystem::is_regular_file(path_, ec), path_.string() << ": no such file (or not a regular file)");
  file_ = gzopen(path_.c_str(), "rb");
  L2_CHECK(file_, path_.string() << ": cannot open: " << std::strerror(errno));
  const std::size_t size = std::filesystem::file_size(path_, ec);
  const std::size_t want = ec ? kReadChunk : size + 1;  // +1: the end is seen without a second buffer
  gzbuffer(gz(file_), unsigned(std::clamp(want, 2 * kMinChunk, kGzBuffer)));
  capacity_ = std::clamp(want, kMinChunk, kReadChunk);
  buf_ = std::make_unique_for_overwrite<char[]>(capacity_);
}

LineReader::~LineReader() {
  if (file_) gzclose(gz(file_));
}

std::string LineReader::where() const { return path_.string() + ":" + std::to_string(line_); }

bool LineReader::refill() {
  if (eof_) return false;
  if (begin_ > 0) {  // keep the unfinished line, move it to the front
    std::memmove(buf_.get(), buf_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == capacity_) {  // a line longer than the buffer
    L2_CHECK(capacity_ < kMaxLineBytes, path_.string() << ":" << line_ + 1 << ": a line of " << (kMaxLineBytes >> 20)
                                                       << " MiB or more: not a line-based text file?");
    const std::size_t grown = std::min(capacity_ * 2, kMaxLineBytes);
    auto bigger = std::make_unique_for_overwrite<char[]>(grown);
    std::memcpy(bigger.get(), buf_.get(), end_);
    buf_ = std::move(bigger);
    capacity_ = grown;
  }
  const int n = gzread(gz(file_), buf_.get() + end_, unsigned(capacity_ - end_));
  if (n < 0) L2_FAIL(path_.string() << ": read error after line " << line_ << ": " << gz_error(file_, true));
  const std::string err = gz_error(file_, n == 0);
  L2_CHECK(err.empty(), path_.string() << ": corrupt data after line " << line_ << ": " << err);
  if (n == 0) {
    eof_ = true;
    return false;
  }
  end_ += std::size_t(n);
  return true;
}

bool LineReader::next(std::string_view& line) {
  while (true) {
    const char* b = buf_.get() + begin_;
    const void* nl = std::memchr(b, '\n', end_ - begin_);
    if (nl) {
      const std::size_t len = static_cast<const char*>(nl) - b;
      line = std::string_view(b, len);
      begin_ += len + 1;
      break;
    }
    if (!refill()) {
      if (begin_ == end_) return false;
      line = std::string_view(buf_.get() + begin_, end_ - begin_);  // last line without "\n"
      begin_ = end_;
      break;
    }
  }
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  ++line_;
  return true;
}

TextWriter::TextWriter(std::filesystem::path path, bool gzip) : path_(std::move(path)) {
  file_ = gzopen(path_.c_str(), gzip ? "wb6" : "wbT");  // T: write uncompressed
  L2_CHECK(file_, path_.string() << ": cannot create: " << std::strerror(errno));
}

TextWriter::~TextWriter() {
  if (file_) gzclose(gz(file_));
}

void TextWriter::write(std::string_view text) {
  L2_CHECK(file_, path_.string() << ": write after close");
  if (text.empty()) return;
  const int n = gzwrite(gz(file_), text.data(), unsigned(text.size()));
  L2_CHECK(n == int(text.size()), path_.string() << ": write failed: " << gz_error(file_, true));
}

void TextWriter::line(std::string_view text) {
  write(text);
  write("\n");
}

void TextWriter::close() {
  if (!file_) return;
  const int rc = gzclose(gz(file_));
  file_ = nullptr;
  L2_CHECK(rc == Z_OK, path_.string() << ": close failed (disk full?)");
}

bool is_gzip_file(const std::filesystem::path& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  unsigned char magic[2] = {0, 0};
  const std::size_t n = std::fread(magic, 1, 2, f);
  std::fclose(f);
  return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
}

std::string first_line(const std::filesystem::path& path) {
  LineReader r(path);
  std::string_view line;
  while (r.next(line))
    if (!is_blank(line)) return std::string(line);
  return {};
}

}  // namespace l2::recsys
