// A one-shot cost scan of many Claude transcript files: scans them on a few threads, then deduplicates every record
// the way core's `OneShotUsageDedup` does (same order, same rules), so that only the winners cross to JavaScript.
#pragma once

#include "file-scan.h"

#include <atomic>
#include <cstdint>
#include <vector>

namespace agentmux {

class CostScan {
public:
  explicit CostScan(std::vector<ScanRequest> requests) : requests_(std::move(requests)), files_(requests_.size()) {}

  /** Scans every file on `threads` threads (blocking; call it off the JavaScript thread). */
  void run(int threads);

  size_t size() const { return files_.size(); }
  FileRows &file(size_t i) { return files_[i]; }
  const ScanRequest &request(size_t i) const { return requests_[i]; }
  size_t filesDone() const { return done_.load(std::memory_order_relaxed); }
  uint64_t bytesDone() const { return bytes_.load(std::memory_order_relaxed); }

  /**
   * `OneShotUsageDedup` over the files in order: rows without a key count at once (file order); keyed rows elect
   * one winner per key (larger token total, then earlier timestamp, then first added; a sidechain row loses while
   * its message id has a main-chain row anywhere), main chain first, in first-seen order. Returns how many rows
   * count; `next` then hands them out in that order.
   */
  size_t finish();
  /** Writes up to `max` of the next rows that count; false when none are left (the scan's memory is then freed). */
  bool next(size_t max, ColumnWriter &out);
  /** Rows without a key, and winners, found by `finish`. */
  size_t unkeyedCount() const { return unkeyedCount_; }

private:
  std::vector<ScanRequest> requests_;
  std::vector<FileRows> files_;
  std::atomic<size_t> next_{0}, done_{0};
  std::atomic<uint64_t> bytes_{0};
  struct Ref {
    uint32_t file, row;
  };
  std::vector<Ref> counted_; // unkeyed rows, then winners
  size_t unkeyedCount_ = 0, emitted_ = 0;
};

} // namespace agentmux
