// One Claude transcript line that mentions "usage": parsed with simdjson's DOM parser (which checks the whole
// line's JSON grammar and UTF-8), checked against the reader's schema of an assistant line, and reduced to the
// facts a usage record is built from. Anything the reader might treat differently from the plain rules below makes
// the line `Bail`: the caller then hands the whole file to the TypeScript scan, which settles it exactly.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace agentmux {

enum class LineOutcome {
  Ignore,    // valid JSON, not an assistant line: nothing to count
  Assistant, // a schema-valid assistant line: see LineFacts
  Bail,      // not sure: let the TypeScript scan decide for the whole file
};

/** The normalised usage of one response (`normalizeClaudeUsage`). */
struct Tokens {
  double input = 0, output = 0, cacheWrite5m = 0, cacheWrite1h = 0, cacheRead = 0, webSearch = 0;
  bool fast = false;
  double total() const { return input + output + cacheWrite5m + cacheWrite1h + cacheRead; }
};

/** What `ClaudeAssistantLineSchema` keeps of a valid assistant line. Views point into the parser's buffers. */
struct LineFacts {
  std::string_view timestamp;
  bool hasUuid = false, hasCwd = false, hasRequestId = false, hasId = false, hasModel = false;
  std::string_view uuid, cwd, requestId, id, model;
  bool isSidechain = false;
  bool hasCost = false;
  double costUSD = 0;
  bool hasUsage = false; // usage present and not null
  Tokens tokens;
};

/** True when `s` matches zod's `z.iso.datetime({ offset: true })` (CLAUDE_TIMESTAMP_PATTERN). */
bool isClaudeTimestamp(std::string_view s);

/** Parses one line (`data[0, len)`, readable up to `len + SIMDJSON_PADDING`). */
LineOutcome readUsageLine(simdjson::dom::parser &parser, const uint8_t *data, size_t len, LineFacts &out);

} // namespace agentmux
