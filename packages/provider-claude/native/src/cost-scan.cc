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
      // Commit every file whose predecessors are all scanned, in order, up to the first one JavaScript must read.
      std::lock_guard<std::mutex> lock(commit_);
      scanned_[i] = 1;
      while (committed_ < files_.size() && scanned_[committed_] && files_[committed_].bail.empty()) {
        commit(static_cast<uint32_t>(committed_));
        committed_ += 1;
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; t += 1) pool.emplace_back(work);
  work();
  for (auto &t : pool) t.join();
}

void CostScan::commit(uint32_t f) {
  const FileRows &file = files_[f];
  if (!file.bail.empty()) return; // a file nobody could read (JavaScript reports it)
  for (uint32_t r = 0; r < file.rows.size(); r += 1) {
    const Record &row = file.rows[r];
    if (row.key.len == 0) {
      unkeyed_.push_back(Ref{f, r});
      continue;
    }
    const std::string_view key = file.view(row.key);
    std::vector<Ref> &entries = row.sidechain ? sideEntries_ : mainEntries_;
    OpenTable &table = row.sidechain ? side_ : main_;
    const size_t slot = table.find(row.keyHash, [&](uint32_t e) { return keyOf(entries[e]) == key; });
    if (table.empty(slot)) {
      table.insert(slot, row.keyHash, static_cast<uint32_t>(entries.size()));
      entries.push_back(Ref{f, r});
      if (!row.sidechain) {
        const std::string_view g = file.group(row.key);
        const size_t gs = groups_.find(row.groupHash, [&](uint32_t e) { return groupOf(groupRefs_[e]) == g; });
        if (groups_.empty(gs)) {
          groups_.insert(gs, row.groupHash, static_cast<uint32_t>(groupRefs_.size()));
          groupRefs_.push_back(Ref{f, r});
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

size_t CostScan::finish() {
  for (; committed_ < files_.size(); committed_ += 1) commit(static_cast<uint32_t>(committed_));
  counted_.reserve(unkeyed_.size() + mainEntries_.size() + sideEntries_.size());
  counted_.insert(counted_.end(), unkeyed_.begin(), unkeyed_.end());
  counted_.insert(counted_.end(), mainEntries_.begin(), mainEntries_.end());
  for (const Ref &ref : sideEntries_) {
    const FileRows &file = files_[ref.file];
    const Record &row = file.rows[ref.row];
    const std::string_view key = file.view(row.key), g = file.group(row.key);
    if (!main_.empty(main_.find(row.keyHash, [&](uint32_t e) { return keyOf(mainEntries_[e]) == key; }))) continue;
    if (!groups_.empty(groups_.find(row.groupHash, [&](uint32_t e) { return groupOf(groupRefs_[e]) == g; }))) continue;
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
