#include "usage-line.h"

#include <cmath>
#include <cstring>

namespace agentmux {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

namespace {

constexpr double kMaxSafeInteger = 9007199254740991.0;

// Keys the reader's schema knows, with the JSON types it accepts (`.nullish()` fields accept null; unknown keys
// pass). A repeated key counts with its last value, as after JSON.parse.
enum Rule { Str, OptStr, OptBool, OptNum, Obj, Content, Any };
struct Key {
  std::string_view name;
  Rule rule;
};

// Slots 0..7 are read; the rest are only validated.
enum Top { kType, kTimestamp, kUuid, kCwd, kSidechain, kRequestId, kCost, kMessage };
constexpr Key kTopKeys[] = {
    {"type", Str},          {"timestamp", Str},       {"uuid", OptStr},         {"cwd", OptStr},
    {"isSidechain", OptBool}, {"requestId", OptStr},  {"costUSD", OptNum},      {"message", Obj},
    {"parentUuid", OptStr}, {"userType", OptStr},     {"sessionId", OptStr},    {"version", OptStr},
    {"gitBranch", OptStr},  {"entrypoint", OptStr},   {"permissionMode", OptStr}, {"agentId", OptStr},
    {"isMeta", OptBool},    {"isCompactSummary", OptBool}, {"isApiErrorMessage", OptBool},
};
constexpr size_t kTopCount = sizeof(kTopKeys) / sizeof(kTopKeys[0]);

enum Msg { kId, kModel, kUsage };
constexpr Key kMessageKeys[] = {
    {"id", OptStr},   {"model", OptStr},       {"usage", Any},          {"content", Content},
    {"role", OptStr}, {"stop_reason", OptStr}, {"stop_sequence", OptStr},
};
constexpr size_t kMessageCount = sizeof(kMessageKeys) / sizeof(kMessageKeys[0]);

enum Use { kInput, kOutput, kCreation, kRead, kCacheCreation, kServerToolUse, kTier, kSpeed };
constexpr std::string_view kUsageKeys[] = {"input_tokens",     "output_tokens",  "cache_creation_input_tokens",
                                           "cache_read_input_tokens", "cache_creation", "server_tool_use",
                                           "service_tier",     "speed"};
constexpr size_t kUsageCount = sizeof(kUsageKeys) / sizeof(kUsageKeys[0]);

template <size_t N>
int findKey(const Key (&keys)[N], std::string_view k) {
  for (size_t i = 0; i < N; i += 1)
    if (keys[i].name == k) return static_cast<int>(i);
  return -1;
}

bool isNull(element e) { return e.type() == element_type::NULL_VALUE; }

bool matches(Rule rule, element e) {
  const element_type t = e.type();
  switch (rule) {
  case Str: return t == element_type::STRING;
  case OptStr: return t == element_type::STRING || t == element_type::NULL_VALUE;
  case OptBool: return t == element_type::BOOL || t == element_type::NULL_VALUE;
  case OptNum:
    return t == element_type::INT64 || t == element_type::UINT64 || t == element_type::DOUBLE || t == element_type::NULL_VALUE;
  case Obj: return t == element_type::OBJECT;
  case Content: {
    if (t == element_type::STRING || t == element_type::NULL_VALUE) return true;
    if (t != element_type::ARRAY) return false;
    // Each block must be an object whose (last) `type` is a string.
    simdjson::dom::array blocks = e.get_array().value_unsafe();
    for (element block : blocks) {
      if (block.type() != element_type::OBJECT) return false;
      bool typed = false;
      object fields = block.get_object().value_unsafe();
      for (auto field : fields)
        if (field.key == "type") typed = field.value.type() == element_type::STRING;
      if (!typed) return false;
    }
    return true;
  }
  case Any: return true;
  }
  return false;
}

/** A number as JavaScript reads it, or false when `e` is not a number. */
bool numberOf(element e, double &out) {
  switch (e.type()) {
  case element_type::INT64: out = static_cast<double>(e.get_int64().value_unsafe()); return true;
  case element_type::UINT64: out = static_cast<double>(e.get_uint64().value_unsafe()); return true;
  case element_type::DOUBLE: out = e.get_double().value_unsafe(); return true;
  default: return false;
  }
}

// A token count: 1 = a safe non-negative integer (in `out`), 0 = null, -1 = anything else.
int countOf(element e, double &out) {
  if (isNull(e)) return 0;
  double d;
  if (!numberOf(e, d) || !(d >= 0) || d > kMaxSafeInteger || std::floor(d) != d) return -1;
  out = d;
  return 1;
}

// `cache_creation` / `server_tool_use`: absent or null (false in `present`), or an object whose two known counts
// are absent, null or counts (other keys ignored). Returns false when the shape is not the ordinary one.
bool pairOf(const element *e, std::string_view a, std::string_view b, bool &present, int &hasA, double &va, int &hasB,
            double &vb) {
  present = false;
  hasA = hasB = 0;
  if (e == nullptr || isNull(*e)) return true;
  if (e->type() != element_type::OBJECT) return false;
  present = true;
  const element *ea = nullptr, *eb = nullptr;
  element sa, sb;
  object fields = e->get_object().value_unsafe();
  for (auto field : fields) {
    if (field.key == a) sa = field.value, ea = &sa;
    else if (field.key == b) sb = field.value, eb = &sb;
  }
  if (ea != nullptr && (hasA = countOf(*ea, va)) < 0) return false;
  if (eb != nullptr && (hasB = countOf(*eb, vb)) < 0) return false;
  return true;
}

/** `normalizeClaudeUsage` for the ordinary shape (see usage-scan-file.ts `normalize`); false when unusual. */
bool readTokens(element usage, Tokens &t) {
  if (usage.type() != element_type::OBJECT) return false;
  element slot[kUsageCount];
  bool has[kUsageCount] = {};
  object fields = usage.get_object().value_unsafe();
  for (auto field : fields) {
    for (size_t i = 0; i < kUsageCount; i += 1) {
      if (field.key == kUsageKeys[i]) {
        slot[i] = field.value;
        has[i] = true;
        break;
      }
    }
  }
  double input, output, creation = 0, read = 0;
  if (!has[kInput] || countOf(slot[kInput], input) != 1) return false;
  if (!has[kOutput] || countOf(slot[kOutput], output) != 1) return false;
  if (has[kCreation] && countOf(slot[kCreation], creation) < 0) return false;
  if (has[kRead] && countOf(slot[kRead], read) < 0) return false;
  for (int k : {kTier, kSpeed})
    if (has[k] && !(slot[k].type() == element_type::STRING || isNull(slot[k]))) return false;
  bool ccPresent, stuPresent;
  int h5m, h1h, hSearch, hFetch;
  double v5m = 0, v1h = 0, vSearch = 0, vFetch = 0;
  if (!pairOf(has[kCacheCreation] ? &slot[kCacheCreation] : nullptr, "ephemeral_5m_input_tokens", "ephemeral_1h_input_tokens",
              ccPresent, h5m, v5m, h1h, v1h))
    return false;
  if (!pairOf(has[kServerToolUse] ? &slot[kServerToolUse] : nullptr, "web_search_requests", "web_fetch_requests", stuPresent,
              hSearch, vSearch, hFetch, vFetch))
    return false;
  t.input = input;
  t.output = output;
  t.cacheWrite5m = creation;
  t.cacheWrite1h = 0;
  if (ccPresent && (h5m == 1 || h1h == 1)) {
    t.cacheWrite5m = h5m == 1 ? v5m : 0;
    t.cacheWrite1h = h1h == 1 ? v1h : 0;
    const double rest = creation - t.cacheWrite5m - t.cacheWrite1h;
    if (rest > 0) t.cacheWrite5m += rest;
  }
  t.cacheRead = read;
  t.webSearch = stuPresent && hSearch == 1 ? vSearch : 0;
  t.fast = has[kSpeed] && slot[kSpeed].type() == element_type::STRING && slot[kSpeed].get_string().value_unsafe() == "fast";
  return true;
}

bool digits(std::string_view s, size_t at, size_t n) {
  for (size_t i = at; i < at + n; i += 1)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}
int num2(std::string_view s, size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

} // namespace

bool isClaudeTimestamp(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS(.d+)?(Z|±HH:MM), with real month lengths and Gregorian leap years.
  if (s.size() < 20 || !digits(s, 0, 4) || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' || !digits(s, 8, 2) || s[10] != 'T')
    return false;
  const int year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  const int month = num2(s, 5), day = num2(s, 8);
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  const int maxDay = month == 2 && leap ? 29 : kDays[month - 1];
  if (day > maxDay) return false;
  if (!digits(s, 11, 2) || s[13] != ':' || !digits(s, 14, 2) || s[16] != ':' || !digits(s, 17, 2)) return false;
  if (num2(s, 11) > 23 || num2(s, 14) > 59 || num2(s, 17) > 59) return false;
  size_t i = 19;
  if (s[i] == '.') {
    const size_t from = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') i += 1;
    if (i == from) return false;
  }
  if (i < s.size() && s[i] == 'Z') return i + 1 == s.size();
  if (i + 6 != s.size() || (s[i] != '+' && s[i] != '-') || !digits(s, i + 1, 2) || s[i + 3] != ':' || !digits(s, i + 4, 2))
    return false;
  return num2(s, i + 1) <= 23 && num2(s, i + 4) <= 59;
}

LineOutcome readUsageLine(simdjson::dom::parser &parser, const uint8_t *data, size_t len, LineFacts &out) {
  element root;
  if (parser.parse(data, len, false).get(root) != simdjson::SUCCESS) return LineOutcome::Bail;
  if (root.type() != element_type::OBJECT) return LineOutcome::Bail;
  element top[kTopCount];
  bool has[kTopCount] = {};
  object rootFields = root.get_object().value_unsafe();
  for (auto field : rootFields) {
    const int k = findKey(kTopKeys, field.key);
    if (k >= 0) top[k] = field.value, has[k] = true;
  }
  if (!has[kType] || top[kType].type() != element_type::STRING) return LineOutcome::Bail;
  if (top[kType].get_string().value_unsafe() != "assistant") return LineOutcome::Ignore;
  for (size_t k = 0; k < kTopCount; k += 1)
    if (has[k] && !matches(kTopKeys[k].rule, top[k])) return LineOutcome::Bail;
  if (!has[kTimestamp] || !has[kMessage]) return LineOutcome::Bail;
  out.timestamp = top[kTimestamp].get_string().value_unsafe();
  if (!isClaudeTimestamp(out.timestamp)) return LineOutcome::Bail;
  element msg[kMessageCount];
  bool hasMsg[kMessageCount] = {};
  object msgFields = top[kMessage].get_object().value_unsafe();
  for (auto field : msgFields) {
    const int k = findKey(kMessageKeys, field.key);
    if (k >= 0) msg[k] = field.value, hasMsg[k] = true;
  }
  for (size_t k = 0; k < kMessageCount; k += 1)
    if (hasMsg[k] && !matches(kMessageKeys[k].rule, msg[k])) return LineOutcome::Bail;
  auto optString = [](bool present, element e, bool &flag, std::string_view &value) {
    flag = present && !isNull(e);
    if (flag) value = e.get_string().value_unsafe();
  };
  optString(has[kUuid], top[kUuid], out.hasUuid, out.uuid);
  optString(has[kCwd], top[kCwd], out.hasCwd, out.cwd);
  optString(has[kRequestId], top[kRequestId], out.hasRequestId, out.requestId);
  optString(hasMsg[kId], msg[kId], out.hasId, out.id);
  optString(hasMsg[kModel], msg[kModel], out.hasModel, out.model);
  out.isSidechain = has[kSidechain] && top[kSidechain].type() == element_type::BOOL && top[kSidechain].get_bool().value_unsafe();
  out.hasCost = has[kCost] && !isNull(top[kCost]);
  if (out.hasCost && (!numberOf(top[kCost], out.costUSD) || !(out.costUSD >= 0) || !std::isfinite(out.costUSD)))
    return LineOutcome::Bail;
  out.hasUsage = hasMsg[kUsage] && !isNull(msg[kUsage]);
  out.tokens = Tokens{};
  if (out.hasUsage && !readTokens(msg[kUsage], out.tokens)) return LineOutcome::Bail;
  return LineOutcome::Assistant;
}

} // namespace agentmux
