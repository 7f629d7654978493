// The usage scan of one Claude transcript file (the native twin of usage-scan.ts + `keepPossibleWinners` of
// usage-scan-compact.ts): reads it in chunks from a byte offset, counts unreadable lines per reason, turns
// schema-valid assistant lines into usage records with the reader's rules, and keeps only the records that can still
// win the `max-total` dedup. A line it is not sure of sets `bail`: the TypeScript scan then reads that file.
#pragma once

#include "usage-rows.h"

#include <string>

namespace agentmux {

struct ScanRequest {
  std::string path;
  double fromOffset = 0;
  double maxLineBytes = 16 * 1024 * 1024;
  double chunkBytes = 1024 * 1024;
  /** Billing session and source session (see FileRows). */
  std::string session, source;
  /** Keep only the records that can still win the dedup (false: every record, as the reader gives them). */
  bool reduce = true;
};

void scanFile(const ScanRequest &request, FileRows &out);

} // namespace agentmux
