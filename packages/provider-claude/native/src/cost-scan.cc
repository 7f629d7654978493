#include "cost-scan.h"

#include <algorithm>
#include <string_view>
#include <thread>

namespace agentmux {

void CostScan::run(int threads) {
  auto work = [this] {
    for (;;) {
      const size_t i = next_.fetch_add(1);
      if (i >= requests_.size()) return;
      scanFile(requests_[i], files_[i]);
      bytes_.fetch_add(static_cast<uint64_t>(files_[i].bytes), std::memory_order_relaxed);
      done_.fetch_add(1, std::memory_order_relaxed);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; t += 1) pool.emplace_back(work);
  work();
  for (auto &t : pool) t.join();
}

namespace {

/**
 * Open addressing over precomputed hashes, sized once (no rehash, no allocation per entry). `find` returns the slot
 * of `s` or the empty slot where it goes; `same(entry)` compares the stored entry's string with `s`.
 */
class Table {
public:
  explicit Table(size_t entries) {
    size_t n = 16;
    while (n < entries * 2) n <<= 1;
    hashes_.assign(n, 0);
    values_.assign(n, 0);
  }
  template <typename Same>
  size_t find(uint64_t hash, Same same) const {
    const uint64_t h = hash | 1; // 0 marks an empty slot
    for (size_t i = h & (hashes_.size() - 1);; i = (i + 1) & (hashes_.size() - 1))
      if (hashes_[i] == 0 || (hashes_[i] == h && same(values_[i]))) return i;
  }
  bool empty(size_t slot) const { return hashes_[slot] == 0; }
  uint32_t value(size_t slot) const { return values_[slot]; }
  void set(size_t slot, uint64_t hash, uint32_t value) {
    hashes_[slot] = hash | 1;
    values_[slot] = value;
  }

private:
  std::vector<uint64_t> hashes_;
  std::vector<uint32_t> values_;
};

} // namespace

size_t CostScan::finish() {
  size_t keyed = 0, rows = 0;
  for (const FileRows &f : files_) {
    if (!f.bail.empty()) continue;
    rows += f.rows.size();
    for (const Record &r : f.rows) keyed += r.key.len > 0;
  }
  counted_.reserve(rows);
  // Keys in first-seen order with their current best row (a JavaScript Map's order), main chain and sidechain.
  std::vector<Ref> mainEntries, sideEntries;
  Table main(keyed), side(keyed), groups(keyed);
  std::vector<Ref> groupRefs; // a row whose group (message id) has a main-chain row
  auto keyOf = [this](Ref ref) { return files_[ref.file].view(files_[ref.file].rows[ref.row].key); };
  auto groupOf = [this](Ref ref) { return files_[ref.file].group(files_[ref.file].rows[ref.row].key); };
  for (uint32_t f = 0; f < files_.size(); f += 1) {
    const FileRows &file = files_[f];
    if (!file.bail.empty()) continue;
    for (uint32_t r = 0; r < file.rows.size(); r += 1) {
      const Record &row = file.rows[r];
      if (row.key.len == 0) {
        counted_.push_back(Ref{f, r});
        continue;
      }
      const std::string_view key = file.view(row.key);
      std::vector<Ref> &entries = row.sidechain ? sideEntries : mainEntries;
      Table &table = row.sidechain ? side : main;
      const size_t slot = table.find(row.keyHash, [&](uint32_t e) { return keyOf(entries[e]) == key; });
      if (table.empty(slot)) {
        table.set(slot, row.keyHash, static_cast<uint32_t>(entries.size()));
        entries.push_back(Ref{f, r});
        if (!row.sidechain) {
          const std::string_view g = file.group(row.key);
          const size_t gs = groups.find(row.groupHash, [&](uint32_t e) { return groupOf(groupRefs[e]) == g; });
          if (groups.empty(gs)) {
            groups.set(gs, row.groupHash, static_cast<uint32_t>(groupRefs.size()));
            groupRefs.push_back(Ref{f, r});
          }
        }
        continue;
      }
      Ref &held = entries[table.value(slot)];
      const FileRows &hf = files_[held.file];
      const Record &h = hf.rows[held.row];
      const double a = row.tokens.total(), b = h.tokens.total();
      if (a > b || (a == b && file.view(row.timestamp) < hf.view(h.timestamp))) held = Ref{f, r};
    }
  }
  unkeyedCount_ = counted_.size();
  counted_.insert(counted_.end(), mainEntries.begin(), mainEntries.end());
  for (const Ref &ref : sideEntries) {
    const FileRows &file = files_[ref.file];
    const Record &row = file.rows[ref.row];
    const std::string_view key = file.view(row.key), g = file.group(row.key);
    if (!main.empty(main.find(row.keyHash, [&](uint32_t e) { return keyOf(mainEntries[e]) == key; }))) continue;
    if (!groups.empty(groups.find(row.groupHash, [&](uint32_t e) { return groupOf(groupRefs[e]) == g; }))) continue;
    counted_.push_back(ref);
  }
  return counted_.size();
}

bool CostScan::next(size_t max, ColumnWriter &out) {
  if (emitted_ >= counted_.size()) {
    std::vector<Ref>().swap(counted_);
    std::vector<FileRows>().swap(files_);
    return false;
  }
  const size_t end = std::min(counted_.size(), emitted_ + max);
  out.reserve(end - emitted_);
  for (; emitted_ < end; emitted_ += 1) {
    const Ref ref = counted_[emitted_];
    out.add(files_[ref.file], files_[ref.file].rows[ref.row]);
  }
  return true;
}

} // namespace agentmux
