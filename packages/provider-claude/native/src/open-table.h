// Open addressing over precomputed 64-bit hashes (no allocation per entry): maps a string, compared through a
// callback, to a 32-bit value. Grows at half load.
#pragma once

#include <cstdint>
#include <vector>

namespace agentmux {

class OpenTable {
public:
  /** The slot of the entry whose hash is `hash` and for which `same(value)` holds, or the empty slot where it goes. */
  template <typename Same>
  size_t find(uint64_t hash, Same same) const {
    if (hashes_.empty()) return kNone;
    const uint64_t h = hash | 1; // 0 marks an empty slot
    const size_t mask = hashes_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask)
      if (hashes_[i] == 0 || (hashes_[i] == h && same(values_[i]))) return i;
  }
  bool empty(size_t slot) const { return slot == kNone || hashes_[slot] == 0; }
  uint32_t value(size_t slot) const { return values_[slot]; }
  /** Stores `value` for `hash` in an empty slot that `find` returned (the slot may move when the table grows). */
  void insert(size_t slot, uint64_t hash, uint32_t value) {
    if (slot == kNone || (used_ + 1) * 2 > hashes_.size()) {
      grow();
      slot = hashes_.size(); // search again below
    }
    const uint64_t h = hash | 1;
    if (slot >= hashes_.size()) {
      const size_t mask = hashes_.size() - 1;
      slot = h & mask;
      while (hashes_[slot] != 0) slot = (slot + 1) & mask;
    }
    hashes_[slot] = h;
    values_[slot] = value;
    used_ += 1;
  }
  void set(size_t slot, uint32_t value) { values_[slot] = value; }

  static constexpr size_t kNone = static_cast<size_t>(-1);

private:
  void grow() {
    std::vector<uint64_t> oldHashes = std::move(hashes_);
    std::vector<uint32_t> oldValues = std::move(values_);
    const size_t n = oldHashes.empty() ? 1024 : oldHashes.size() * 2;
    hashes_.assign(n, 0);
    values_.assign(n, 0);
    for (size_t i = 0; i < oldHashes.size(); i += 1) {
      if (oldHashes[i] == 0) continue;
      size_t s = oldHashes[i] & (n - 1);
      while (hashes_[s] != 0) s = (s + 1) & (n - 1);
      hashes_[s] = oldHashes[i];
      values_[s] = oldValues[i];
    }
  }
  std::vector<uint64_t> hashes_;
  std::vector<uint32_t> values_;
  size_t used_ = 0;
};

} // namespace agentmux
