#include "usage-rows.h"

#include <cstring>
#include <functional>
#include <limits>

namespace agentmux {

void FileRows::hashKeys() {
  const std::hash<std::string_view> hash;
  for (Record &r : rows) {
    if (r.key.len == 0) continue;
    r.keyHash = hash(view(r.key));
    r.groupHash = hash(group(r.key));
  }
}

void FileRows::compact() {
  std::string old;
  old.swap(arena);
  arena.reserve(rows.size() * 96);
  Str lastModel, lastCwd; // model and cwd repeat: stored once while they stay the same
  auto copy = [&](Str s, Str *last) {
    if (s.len == 0) return s;
    const std::string_view v(old.data() + s.off, s.len);
    if (last != nullptr && last->len == s.len && view(*last) == v) return *last;
    const Str out = add(v);
    if (last != nullptr) *last = out;
    return out;
  };
  for (Record &r : rows) {
    r.timestamp = copy(r.timestamp, nullptr);
    r.model = copy(r.model, &lastModel);
    r.cwd = copy(r.cwd, &lastCwd);
    r.key = copy(r.key, nullptr);
    r.session = copy(r.session, nullptr);
    r.source = copy(r.source, nullptr);
  }
  arena.shrink_to_fit();
  rows.shrink_to_fit();
}

int32_t ColumnWriter::addString(std::string_view s) {
  // Plain ASCII (nearly every string here) is one UTF-16 unit per byte: checked 8 bytes at a time.
  size_t i = 0, units = 0;
  const size_t n = s.size();
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if ((w & 0x8080808080808080ULL) != 0) break;
  }
  units = i;
  for (; i < n; i += 1) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xc0) != 0x80) units += 1; // a code point starts here
    if (c >= 0xf0) units += 1;          // outside the BMP: a surrogate pair
    if (c >= 0x80) textAscii = false;
  }
  units_ += units;
  text.append(s);
  ends.push_back(static_cast<int32_t>(units_));
  return static_cast<int32_t>(ends.size() - 1);
}

// Model, cwd, source and session repeat from row to row: the last one is reused while it stays the same (as
// usage-scan-compact.ts `encodeCompactUsage`).
int32_t ColumnWriter::repeated(int slot, std::string_view s) {
  if (s.empty()) return -1;
  if (!lastSet_[slot] || last_[slot] != s) {
    last_[slot].assign(s);
    lastSet_[slot] = true;
    lastIndex_[slot] = addString(s);
  }
  return lastIndex_[slot];
}

void ColumnWriter::add(const FileRows &file, const Record &r) {
  const double n[8] = {r.tokens.input,     r.tokens.output, r.tokens.cacheWrite5m, r.tokens.cacheWrite1h,
                       r.tokens.cacheRead, 0,               r.tokens.webSearch,
                       r.hasCost ? r.cost : std::numeric_limits<double>::quiet_NaN()};
  numbers.insert(numbers.end(), n, n + 8);
  int32_t flags = (r.sidechain ? 3 : 1) | (r.tokens.fast ? 12 : 4);
  if (r.key.len > 0) flags |= 1 << 4; // dedupPolicy max-total
  refs.push_back(flags);
  refs.push_back(addString(file.view(r.timestamp)));
  refs.push_back(repeated(0, file.view(r.model)));
  refs.push_back(repeated(1, file.view(r.cwd)));
  refs.push_back(r.key.len == 0 || !keys_ ? -1 : addString(file.view(r.key)));
  refs.push_back(repeated(2, r.source.len > 0 ? file.view(r.source) : std::string_view(file.source)));
  sessions.push_back(repeated(3, r.session.len > 0 ? file.view(r.session) : std::string_view(file.session)));
  count += 1;
}

} // namespace agentmux
