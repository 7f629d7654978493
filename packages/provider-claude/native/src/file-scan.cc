#include "file-scan.h"

#include "find-usage.h"
#include "open-table.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>
#include <string_view>
#include <unordered_map>

namespace agentmux {

namespace {

/** A read buffer per thread, kept between files (memory: about one chunk plus the longest line). */
struct ReadBuffer {
  std::unique_ptr<uint8_t[]> data;
  size_t capacity = 0;
  void reserve(size_t size, size_t keep) {
    if (size <= capacity) return;
    std::unique_ptr<uint8_t[]> bigger(new uint8_t[size + simdjson::SIMDJSON_PADDING]);
    if (keep > 0) std::memcpy(bigger.get(), data.get(), keep);
    data = std::move(bigger);
    capacity = size;
  }
};
thread_local ReadBuffer tlsBuffer;
thread_local simdjson::dom::parser tlsParser;
constexpr size_t kBigLine = 1024 * 1024;

struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) close(fd);
  }
};

/** The uuids seen in one file: an `OpenTable` over their spans in one arena (no allocation per uuid). */
class SeenSet {
public:
  /** Adds `s`; false when it was already there. */
  bool insert(std::string_view s) {
    const uint64_t h = std::hash<std::string_view>()(s);
    const size_t slot = table_.find(h, [&](uint32_t e) { return view(spans_[e]) == s; });
    if (!table_.empty(slot)) return false;
    table_.insert(slot, h, static_cast<uint32_t>(spans_.size()));
    spans_.push_back(Str{static_cast<uint32_t>(arena_.size()), static_cast<uint32_t>(s.size())});
    arena_.append(s);
    return true;
  }

private:
  std::string_view view(Str s) const { return std::string_view(arena_.data() + s.off, s.len); }
  OpenTable table_;
  std::vector<Str> spans_;
  std::string arena_;
};

class Scan {
public:
  explicit Scan(FileRows &out) : out_(out) {}

  void skip(const char *reason) { out_.skipped[reason] += 1; }

  /** One complete line `[s, e)` of `buf`. Returns false once the file must go to the TypeScript scan. */
  bool line(const uint8_t *buf, size_t s, size_t e, size_t total) {
    if (!allUtf8_ && !simdjson::validate_utf8(reinterpret_cast<const char *>(buf + s), e - s)) {
      skip("invalid-utf8");
      return true;
    }
    if (nextUsage_ == kUnknown || (nextUsage_ != kNone && nextUsage_ < s)) {
      const uint8_t *hit = findUsage(buf + s, buf + total);
      nextUsage_ = hit == nullptr ? kNone : static_cast<size_t>(hit - buf);
    }
    if (nextUsage_ == kNone || nextUsage_ >= e) {
      // No usage on this line: only a cheap check that it looks like one JSON object (as the TypeScript scan).
      size_t a = s, b = e;
      if (buf[a] == 0xef && buf[a + 1] == 0xbb && buf[a + 2] == 0xbf) a += 3;
      while (a < b && (buf[a] == ' ' || buf[a] == '\t')) a += 1;
      while (b > a && (buf[b - 1] == ' ' || buf[b - 1] == '\t' || buf[b - 1] == '\r')) b -= 1;
      if (a < b && (buf[a] != '{' || buf[b - 1] != '}')) skip("invalid-json");
      return true;
    }
    LineFacts f;
    // A long line (a tool result that carries usage) gets a parser of its own, freed after it: simdjson keeps the
    // capacity of the longest document a parser saw (about 10 bytes per byte).
    std::unique_ptr<simdjson::dom::parser> big;
    if (e - s > kBigLine) big = std::make_unique<simdjson::dom::parser>();
    switch (readUsageLine(big ? *big : tlsParser, buf + s, e - s, f)) {
    case LineOutcome::Ignore: return true;
    case LineOutcome::Bail: return fail("the line at byte " + std::to_string(base_ + s) + " needs the reader's rules");
    case LineOutcome::Assistant: return add(f);
    }
    return true;
  }

  /** New bytes in the buffer: `base` is the file offset of its first byte. */
  void resetBuffer(bool allUtf8, size_t base) {
    allUtf8_ = allUtf8;
    base_ = base;
    nextUsage_ = kUnknown;
  }

  bool fail(std::string why) {
    out_.bail = std::move(why);
    return false;
  }

  // usage-scan-compact.ts `keepPossibleWinners`: per key the best main-chain and the best sidechain record (larger
  // total, then earlier timestamp, then first in the file); records without a key are all kept, in file order.
  void keepPossibleWinners() {
    std::vector<Record> &rows = out_.rows;
    std::unordered_map<std::string_view, size_t> main, side;
    size_t keyed = 0;
    for (size_t i = 0; i < rows.size(); i += 1) {
      const Record &r = rows[i];
      if (r.key.len == 0) continue;
      keyed += 1;
      auto &best = r.sidechain ? side : main;
      auto [it, inserted] = best.emplace(out_.view(r.key), i);
      if (inserted) continue;
      const Record &b = rows[it->second];
      const double ta = r.tokens.total(), tb = b.tokens.total();
      if (ta > tb || (ta == tb && out_.view(r.timestamp) < out_.view(b.timestamp))) it->second = i;
    }
    if (main.size() + side.size() == keyed) return;
    std::vector<uint8_t> keep(rows.size(), 0);
    for (auto &kv : main) keep[kv.second] = 1;
    for (auto &kv : side) keep[kv.second] = 1;
    size_t w = 0;
    for (size_t i = 0; i < rows.size(); i += 1)
      if (keep[i] || rows[i].key.len == 0) rows[w++] = rows[i];
    rows.resize(w);
  }

private:
  static constexpr size_t kNone = static_cast<size_t>(-1);
  static constexpr size_t kUnknown = static_cast<size_t>(-2);

  /** The reader's `recordUsage` for a schema-valid assistant line (usage-scan-file.ts `FileScan.add`). */
  bool add(const LineFacts &f) {
    if (f.hasUuid && !f.uuid.empty() && !seen_.insert(f.uuid)) {
      skip("duplicate-uuid");
      return true;
    }
    if (!f.hasUsage) return true;
    if (f.tokens.total() == 0 && f.tokens.webSearch == 0) return true;
    if (!f.hasCwd) return fail("a usage line without cwd (the reader takes it from an earlier line)");
    Record r;
    r.timestamp = out_.add(f.timestamp);
    if (f.hasModel) r.model = sameAs(lastModel_, f.model);
    r.cwd = sameAs(lastCwd_, f.cwd);
    if (f.hasId && !f.id.empty()) {
      r.key = out_.add(f.id);
      if (f.hasRequestId && !f.requestId.empty()) {
        out_.arena.push_back(':');
        out_.arena.append(f.requestId);
        r.key.len += static_cast<uint32_t>(1 + f.requestId.size());
      }
    }
    r.tokens = f.tokens;
    r.sidechain = f.isSidechain;
    r.hasCost = f.hasCost;
    r.cost = f.costUSD;
    out_.rows.push_back(r);
    return true;
  }

  /** Model and cwd repeat on most lines: stored once while they stay the same. */
  Str sameAs(Str &last, std::string_view value) {
    if (last.len == value.size() && last.len > 0 && out_.view(last) == value) return last;
    last = out_.add(value);
    return last;
  }

  FileRows &out_;
  bool allUtf8_ = false;
  size_t base_ = 0;
  size_t nextUsage_ = kUnknown;
  SeenSet seen_;
  Str lastModel_, lastCwd_;
};

} // namespace

void scanFile(const ScanRequest &req, FileRows &out) {
  out.session = req.session;
  out.source = req.source;
  if (req.fromOffset < 0) {
    out.bail = "handed to the TypeScript scan by the caller";
    return;
  }
  const int fd = open(req.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    out.bail = std::string("open failed: ") + std::strerror(errno);
    return;
  }
  FdCloser closer{fd};
  struct stat st;
  if (fstat(fd, &st) != 0) {
    out.bail = std::string("stat failed: ") + std::strerror(errno);
    return;
  }
  const size_t from = static_cast<size_t>(req.fromOffset);
  Scan scan(out);
  if (static_cast<size_t>(st.st_size) < from) {
    scan.skip("file-truncated");
    out.nextOffset = static_cast<double>(from);
    return;
  }
  const size_t chunk = std::max<size_t>(16, static_cast<size_t>(req.chunkBytes));
  const size_t maxLine = static_cast<size_t>(req.maxLineBytes);
  ReadBuffer &rb = tlsBuffer;
  rb.reserve(chunk, 0);
  size_t bufStart = from, len = 0;
  bool discarding = false;
  for (;;) {
    if (rb.capacity - len < chunk) rb.reserve(std::max(len + chunk, rb.capacity * 2), len);
    uint8_t *buf = rb.data.get();
    const ssize_t n = pread(fd, buf + len, rb.capacity - len, static_cast<off_t>(bufStart + len));
    if (n < 0) {
      if (errno == EINTR) continue;
      out.bail = std::string("read failed: ") + std::strerror(errno);
      return;
    }
    if (n == 0) break;
    const size_t total = len + static_cast<size_t>(n);
    const void *lastNlPtr = memrchr(buf, '\n', total);
    const size_t lastNl = lastNlPtr == nullptr ? 0 : static_cast<size_t>(static_cast<const uint8_t *>(lastNlPtr) - buf);
    scan.resetBuffer(lastNl > 0 && simdjson::validate_utf8(reinterpret_cast<const char *>(buf), lastNl), bufStart);
    size_t s = 0, searchFrom = len; // the carried bytes hold no newline
    for (;;) {
      const void *nlPtr = searchFrom < total ? memchr(buf + searchFrom, '\n', total - searchFrom) : nullptr;
      if (nlPtr == nullptr) break;
      const size_t nl = static_cast<size_t>(static_cast<const uint8_t *>(nlPtr) - buf);
      if (discarding) discarding = false;
      else if (nl - s > maxLine) scan.skip("too-long");
      else if (!scan.line(buf, s, nl, total)) return;
      s = nl + 1;
      searchFrom = s;
    }
    if (discarding || total - s > maxLine) {
      if (!discarding) scan.skip("too-long");
      discarding = true;
      bufStart += total;
      len = 0;
    } else {
      std::memmove(buf, buf + s, total - s);
      bufStart += s;
      len = total - s;
    }
  }
  out.nextOffset = static_cast<double>(bufStart);
  out.bytes = static_cast<double>(bufStart - from);
  if (req.reduce) scan.keepPossibleWinners();
  out.compact(); // held until every file is read: keep only what is used
  out.hashKeys();
}

} // namespace agentmux
