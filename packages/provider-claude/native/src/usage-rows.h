// Usage records of one scanned file, their strings in one arena per file, and the column encoder that hands rows to
// JavaScript (core's `CompactUsageRecords` layout, optionally with a session column).
#pragma once

#include "usage-line.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace agentmux {

/** A string in a file's arena: `arena.substr(off, len)`; `len == 0` means absent. */
struct Str {
  uint32_t off = 0, len = 0;
};

struct Record {
  Str timestamp, model, cwd, key;
  /** Billing and source session of a row handed over by JavaScript (empty: the file's). */
  Str session, source;
  /** Hashes of `key` and of its message id (the key up to its first ':'), computed on the scan threads. */
  uint64_t keyHash = 0, groupHash = 0;
  Tokens tokens;
  bool sidechain = false;
  bool hasCost = false;
  double cost = 0;
};

/** What one file gave: records (already reduced to possible dedup winners), skip counts, offsets. */
struct FileRows {
  /** Set when the TypeScript scan must handle this file; says why. */
  std::string bail;
  std::map<std::string, double> skipped;
  double bytes = 0, nextOffset = 0;
  std::string arena;
  std::vector<Record> rows;
  /** Billing session (the parent's for a subagent file) and source session (the subagent's own id, or empty). */
  std::string session, source;

  std::string_view view(Str s) const { return std::string_view(arena.data() + s.off, s.len); }
  /** The message id part of `key` (up to its first ':'). */
  std::string_view group(Str key) const {
    const std::string_view k = view(key);
    const size_t colon = k.find(':');
    return colon == std::string_view::npos ? k : k.substr(0, colon);
  }
  /** Sets the key hashes of every row (call once the rows are final). */
  void hashKeys();
  /** Rewrites the arena with only the strings the rows use, and trims both to size (rows are held until the end). */
  void compact();
  Str add(std::string_view s) {
    Str out{static_cast<uint32_t>(arena.size()), static_cast<uint32_t>(s.size())};
    arena.append(s);
    return out;
  }
};

/**
 * Rows in core's `CompactUsageRecords` columns: numbers (8 per row), refs (6 per row), strings as text + ends; plus
 * `sessions`, the billing session's string per row (for rows of many files).
 */
class ColumnWriter {
public:
  /** `keys`: write dedup keys (false: refs[4] is -1, for readers of deduplicated rows that do not need them). */
  explicit ColumnWriter(bool keys = true) : keys_(keys) {}
  void add(const FileRows &file, const Record &r);
  /** Room for `rows` more rows (strings: about 96 bytes a row). */
  void reserve(size_t rows) {
    numbers.reserve(numbers.size() + rows * 8);
    refs.reserve(refs.size() + rows * 6);
    sessions.reserve(sessions.size() + rows);
    ends.reserve(ends.size() + rows * 2);
    text.reserve(text.size() + rows * 96);
  }
  size_t count = 0;
  std::vector<double> numbers;
  std::vector<int32_t> refs;
  std::vector<int32_t> sessions;
  std::string text; // UTF-8
  bool textAscii = true;
  std::vector<int32_t> ends; // end offsets in UTF-16 code units

private:
  int32_t addString(std::string_view s);
  int32_t repeated(int slot, std::string_view s);
  bool keys_;
  size_t units_ = 0;
  std::string last_[4];
  bool lastSet_[4] = {};
  int32_t lastIndex_[4] = {-1, -1, -1, -1};
};

} // namespace agentmux
