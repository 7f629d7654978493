// A one-shot cost scan of many Claude transcript files: scans them on a few threads and deduplicates every record
// the way core's `OneShotUsageDedup` does (same order, same rules), so that only the winners cross to JavaScript.
// Files are committed to the dedup in input order as soon as every earlier file is scanned, on the scan threads,
// so that little is left to do once the last file is read.
#pragma once

#include "file-scan.h"
#include "open-table.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

namespace agentmux {

class CostScan {
public:
  explicit CostScan(std::vector<ScanRequest> requests)
      : requests_(std::move(requests)), files_(requests_.size()), scanned_(requests_.size(), 0) {}

  /** Scans every file on `threads` threads (blocking; call it off the JavaScript thread). */
  void run(int threads);

  size_t size() const { return files_.size(); }
  FileRows &file(size_t i) { return files_[i]; }
  size_t filesDone() const { return done_.load(std::memory_order_relaxed); }
  uint64_t bytesDone() const { return bytes_.load(std::memory_order_relaxed); }

  /**
   * `OneShotUsageDedup` over the files in order: rows without a key count at once (file order); keyed rows elect
   * one winner per key (larger token total, then earlier timestamp, then first added; a sidechain row loses while
   * its message id has a main-chain row anywhere), main chain first, in first-seen order. Commits what `run` left
   * (files from the first one handed back to JavaScript on) and returns how many rows count; `next` then hands them
   * out in that order.
   */
  size_t finish();
  /** Writes up to `max` of the next rows that count; false when none are left (the scan's memory is then freed). */
  bool next(size_t max, ColumnWriter &out);
  /** Rows without a key among those `finish` counted. */
  size_t unkeyedCount() const { return unkeyed_.size(); }

private:
  struct Ref {
    uint32_t file, row;
  };
  /** Offers file `f`'s rows to the dedup (caller holds `commit_` or is alone). */
  void commit(uint32_t f);
  std::string_view keyOf(Ref r) const { return files_[r.file].view(files_[r.file].rows[r.row].key); }
  std::string_view groupOf(Ref r) const { return files_[r.file].group(files_[r.file].rows[r.row].key); }

  std::vector<ScanRequest> requests_;
  std::vector<FileRows> files_;
  std::atomic<size_t> next_{0}, done_{0};
  std::atomic<uint64_t> bytes_{0};
  std::mutex commit_;
  std::vector<uint8_t> scanned_;
  size_t committed_ = 0; // files 0..committed_-1 are in the dedup
  // Dedup state: keys in first-seen order with their best row (a JavaScript Map's order), main chain and sidechain,
  // and the message ids that have a main-chain row.
  std::vector<Ref> unkeyed_, mainEntries_, sideEntries_, groupRefs_;
  OpenTable main_, side_, groups_;
  std::vector<Ref> counted_; // after finish: unkeyed rows, then winners
  size_t emitted_ = 0;
};

} // namespace agentmux
