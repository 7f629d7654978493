/**
 * A token-level JSON skimmer for one Claude transcript line held in a Buffer. It checks the whole line's JSON
 * grammar (hopping over string bodies with `Buffer.indexOf`, validating escapes and numbers) and records the byte
 * spans of the few values the usage scan needs, without decoding the line or building objects. Anything it is not
 * sure of makes it return `false`; the caller then falls back to `JSON.parse` of that line. It assumes the caller
 * already checked that the line is valid UTF-8 and holds no raw control characters.
 */

/** Field slots in `LineSpans.start` / `LineSpans.end`. */
export const F = {
  type: 0,
  timestamp: 1,
  uuid: 2,
  cwd: 3,
  isSidechain: 4,
  requestId: 5,
  costUSD: 6,
  message: 7,
  msgId: 8,
  msgModel: 9,
  msgUsage: 10,
} as const;
const FIELD_COUNT = 11;

/** Spans `[start, end)` of captured values; `-1` when absent. */
export class LineSpans {
  readonly start = new Int32Array(FIELD_COUNT);
  readonly end = new Int32Array(FIELD_COUNT);
  reset(): void {
    this.start.fill(-1);
    this.end.fill(-1);
  }
}

// What a key's value must look like (schema of an assistant line): checked per occurrence.
const ANY = 0;
const STR = 1; // string
const OPT_STR = 2; // string or null
const OPT_BOOL = 3; // boolean or null
const OPT_NUM = 4; // number or null
const OBJ = 5; // object
const CONTENT = 6; // string, null, or array of objects whose `type` is a string

interface KeyRule {
  rule: number;
  field: number; // -1: validate only
}

const TOP: ReadonlyMap<string, KeyRule> = new Map([
  ['type', { rule: STR, field: F.type }],
  ['timestamp', { rule: STR, field: F.timestamp }],
  ['uuid', { rule: OPT_STR, field: F.uuid }],
  ['cwd', { rule: OPT_STR, field: F.cwd }],
  ['isSidechain', { rule: OPT_BOOL, field: F.isSidechain }],
  ['requestId', { rule: OPT_STR, field: F.requestId }],
  ['costUSD', { rule: OPT_NUM, field: F.costUSD }],
  ['message', { rule: OBJ, field: F.message }],
  ...['parentUuid', 'userType', 'sessionId', 'version', 'gitBranch', 'entrypoint', 'permissionMode', 'agentId'].map(
    (k): [string, KeyRule] => [k, { rule: OPT_STR, field: -1 }],
  ),
  ...['isMeta', 'isCompactSummary', 'isApiErrorMessage'].map((k): [string, KeyRule] => [k, { rule: OPT_BOOL, field: -1 }]),
]);

const MESSAGE: ReadonlyMap<string, KeyRule> = new Map([
  ['id', { rule: OPT_STR, field: F.msgId }],
  ['model', { rule: OPT_STR, field: F.msgModel }],
  ['usage', { rule: ANY, field: F.msgUsage }],
  ['content', { rule: CONTENT, field: -1 }],
  ...['role', 'stop_reason', 'stop_sequence'].map((k): [string, KeyRule] => [k, { rule: OPT_STR, field: -1 }]),
]);

/** Key tables indexed by key length, compared byte by byte (no string is built per key). */
type KeyTable = Array<Array<{ bytes: Buffer; rule: KeyRule }> | undefined>;
function keyTable(map: ReadonlyMap<string, KeyRule>): KeyTable {
  const t: KeyTable = [];
  for (const [k, rule] of map) (t[k.length] ??= []).push({ bytes: Buffer.from(k, 'latin1'), rule });
  return t;
}
const TOP_KEYS = keyTable(TOP);
const MESSAGE_KEYS = keyTable(MESSAGE);

function lookupKey(table: KeyTable, buf: Buffer, s: number, e: number): KeyRule | undefined {
  const list = table[e - s];
  if (list === undefined) return undefined;
  outer: for (const entry of list) {
    const b = entry.bytes;
    for (let k = 0; k < b.length; k += 1) if (b[k] !== buf[s + k]) continue outer;
    return entry.rule;
  }
  return undefined;
}

/** End of a JSON number starting at `i` (exclusive), or -1 when it is not one (`01`, `1.`, `-`, `1e`). */
function numberEnd(buf: Buffer, i: number, end: number): number {
  let j = i;
  if (buf[j] === 0x2d) j += 1;
  const d0 = j < end ? buf[j] : undefined;
  if (d0 === 0x30) j += 1;
  else if (d0 !== undefined && d0 >= 0x31 && d0 <= 0x39) {
    j += 1;
    while (j < end && (buf[j] as number) >= 0x30 && (buf[j] as number) <= 0x39) j += 1;
  } else return -1;
  if (j < end && buf[j] === 0x2e) {
    j += 1;
    const k = j;
    while (j < end && (buf[j] as number) >= 0x30 && (buf[j] as number) <= 0x39) j += 1;
    if (j === k) return -1;
  }
  if (j < end && (buf[j] === 0x65 || buf[j] === 0x45)) {
    j += 1;
    if (buf[j] === 0x2b || buf[j] === 0x2d) j += 1;
    const k = j;
    while (j < end && (buf[j] as number) >= 0x30 && (buf[j] as number) <= 0x39) j += 1;
    if (j === k) return -1;
  }
  const n = buf[j];
  // A number must be followed by a delimiter (a digit run like `01` stops at `1`, which is not one).
  if (j < end && !(n === 0x2c || n === 0x7d || n === 0x5d || n === 0x20 || n === 0x09 || n === 0x0d || n === 0x0a)) return -1;
  return j;
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];
const MAX_DEPTH = 200;

// Expectations of the grammar state machine.
const E_VALUE = 0;
const E_KEY_OR_CLOSE = 1;
const E_KEY = 2;
const E_COLON = 3;
const E_COMMA_OR_CLOSE = 4;
const E_VALUE_OR_CLOSE = 5;
const E_END = 6;

const KIND_OBJ = 1;
const KIND_ARR = 2;

function valueMatches(rule: number, c: number): boolean {
  switch (rule) {
    case STR:
      return c === 0x22;
    case OPT_STR:
      return c === 0x22 || c === 0x6e;
    case OPT_BOOL:
      return c === 0x74 || c === 0x66 || c === 0x6e;
    case OPT_NUM:
      return c === 0x6e || c === 0x2d || (c >= 0x30 && c <= 0x39);
    case OBJ:
      return c === 0x7b;
    case CONTENT:
      return c === 0x22 || c === 0x6e || c === 0x5b;
    default:
      return true;
  }
}

/** Reusable skimmer; `backslash` caches the next backslash position across lines of one buffer. */
export class LineSkimmer {
  private readonly kinds = new Uint8Array(MAX_DEPTH + 2);
  /** Field captured by the container value open at each depth (-1 none). */
  private readonly capture = new Int32Array(MAX_DEPTH + 2);
  private backslash = -2;
  private buf: Buffer | null = null;
  /** True when the last string passed to `stringEnd` held a backslash. */
  private lastEscaped = false;

  /** Must be called when the buffer contents change. */
  resetBuffer(buf: Buffer): void {
    this.buf = buf;
    this.backslash = -2;
  }

  /**
   * Closing quote of the string opening at `open`, or -1 (also on an invalid escape). A string without a backslash
   * costs at most one native search (the next backslash of the buffer is cached across strings); a string with
   * escapes is walked byte by byte from its first backslash (cheaper than a native call per escape).
   */
  private stringEnd(buf: Buffer, open: number, end: number): number {
    const from = open + 1;
    // Keys and short values: a byte loop beats a native call.
    const stop = Math.min(end, from + 24);
    let q = -1;
    for (let k = from; k < stop; k += 1) {
      if (buf[k] === 0x22) {
        q = k;
        break;
      }
    }
    if (q === -1) {
      q = buf.indexOf(0x22, stop);
      if (q === -1 || q >= end) q = end; // unterminated unless an escape walk finds more
    }
    let bs = this.backslash;
    if (bs !== -1 && bs < from) bs = buf.indexOf(0x5c, from);
    this.backslash = bs;
    if (bs === -1 || bs > q) {
      this.lastEscaped = false;
      return q < end ? q : -1;
    }
    this.lastEscaped = true;
    let k = bs;
    for (;;) {
      // buf[k] is a backslash.
      const c = buf[k + 1];
      if (c === 0x75) {
        for (let h = k + 2; h < k + 6; h += 1) {
          const x = buf[h] ?? 0;
          if (!((x >= 0x30 && x <= 0x39) || (x >= 0x41 && x <= 0x46) || (x >= 0x61 && x <= 0x66))) return -1;
        }
        k += 6;
      } else if (c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74) {
        k += 2;
      } else {
        return -1;
      }
      for (; k < end; k += 1) {
        const b = buf[k];
        if (b === 0x22) {
          this.backslash = -2; // next backslash unknown: searched again on demand
          return k;
        }
        if (b === 0x5c) break;
      }
      if (k >= end) return -1;
    }
  }

  /**
   * Skims `buf[start, end)` (one line without its newline). Returns true when the line is a well-formed JSON object
   * whose known assistant fields have the types the reader's schema accepts; `spans` then holds the captured
   * values (the last occurrence of a repeated key, as in `JSON.parse`). False means "not sure": use JSON.parse.
   */
  skim(buf: Buffer, start: number, end: number, spans: LineSpans): boolean {
    if (buf !== this.buf) this.resetBuffer(buf);
    spans.reset();
    const kinds = this.kinds;
    const capture = this.capture;
    let depth = 0;
    let expect = E_VALUE;
    let pendingRule = ANY; // rule for the value about to start
    let pendingField = -1; // field captured by the value about to start
    let inMessage = false; // depth-2 keys are message keys
    let contentDepth = -1; // depth of an open message.content array
    let elementTypeOk = false; // for the content element object open at contentDepth + 1
    let i = start;
    while (i < end) {
      const c = buf[i] as number;
      if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a) {
        i += 1;
        continue;
      }
      switch (expect) {
        case E_VALUE:
        case E_VALUE_OR_CLOSE: {
          if (expect === E_VALUE_OR_CLOSE && c === 0x5d) {
            depth -= 1; // empty array
            i += 1;
            if (this.capture[depth + 1] === F.message) inMessage = false;
            expect = this.afterClose(depth, spans, i);
            if (contentDepth === depth + 1) contentDepth = -1;
            continue;
          }
          if (depth === 0 && c !== 0x7b) return false; // the root must be an object
          if (!valueMatches(pendingRule, c)) return false;
          if (contentDepth !== -1 && depth === contentDepth && c !== 0x7b) return false; // content element not an object
          const field = pendingField;
          const rule = pendingRule;
          pendingField = -1;
          pendingRule = ANY;
          if (c === 0x22) {
            const q = this.stringEnd(buf, i, end);
            if (q === -1) return false;
            if (field >= 0) {
              spans.start[field] = i;
              spans.end[field] = q + 1;
            }
            if (depth === contentDepth + 1 && contentDepth !== -1 && rule === STR) elementTypeOk = true;
            i = q + 1;
          } else if (c === 0x7b || c === 0x5b) {
            if (depth >= MAX_DEPTH) return false;
            depth += 1;
            kinds[depth] = c === 0x7b ? KIND_OBJ : KIND_ARR;
            capture[depth] = field;
            if (field >= 0) spans.start[field] = i;
            if (field === F.message) {
              inMessage = true;
              for (const f of [F.msgId, F.msgModel, F.msgUsage]) {
                spans.start[f] = -1;
                spans.end[f] = -1;
              }
            }
            if (rule === CONTENT && c === 0x5b) contentDepth = depth;
            if (c === 0x7b && contentDepth !== -1 && depth === contentDepth + 1) elementTypeOk = false;
            i += 1;
            expect = c === 0x7b ? E_KEY_OR_CLOSE : E_VALUE_OR_CLOSE;
            continue;
          } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
            const word = c === 0x74 ? TRUE : c === 0x66 ? FALSE : NULL;
            if (i + word.length > end) return false;
            for (let k = 1; k < word.length; k += 1) if (buf[i + k] !== word[k]) return false;
            if (field >= 0) {
              spans.start[field] = i;
              spans.end[field] = i + word.length;
            }
            i += word.length;
          } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
            const j = numberEnd(buf, i, end);
            if (j === -1) return false;
            if (field >= 0) {
              spans.start[field] = i;
              spans.end[field] = j;
            }
            i = j;
          } else {
            return false;
          }
          expect = depth === 0 ? E_END : E_COMMA_OR_CLOSE;
          continue;
        }
        case E_KEY_OR_CLOSE:
        case E_KEY: {
          if (c === 0x7d && expect === E_KEY_OR_CLOSE) {
            if (contentDepth !== -1 && depth === contentDepth + 1 && !elementTypeOk) return false;
            depth -= 1;
            i += 1;
            if (this.capture[depth + 1] === F.message) inMessage = false;
            expect = this.afterClose(depth, spans, i);
            continue;
          }
          if (c !== 0x22) return false;
          const q = this.stringEnd(buf, i, end);
          if (q === -1) return false;
          pendingRule = ANY;
          pendingField = -1;
          if (depth === 1 || (depth === 2 && inMessage)) {
            if (this.lastEscaped) return false; // escaped key: not sure
            const rule = lookupKey(depth === 1 ? TOP_KEYS : MESSAGE_KEYS, buf, i + 1, q);
            if (rule) {
              pendingRule = rule.rule;
              pendingField = rule.field;
            }
          } else if (contentDepth !== -1 && depth === contentDepth + 1) {
            if (q - i === 5 && buf[i + 1] === 0x74 && buf[i + 2] === 0x79 && buf[i + 3] === 0x70 && buf[i + 4] === 0x65) {
              pendingRule = STR; // a content block's `type` must be a string
              elementTypeOk = false;
            } else if (this.lastEscaped) {
              return false; // an escaped key could spell `type`
            }
          }
          i = q + 1;
          expect = E_COLON;
          continue;
        }
        case E_COLON:
          if (c !== 0x3a) return false;
          i += 1;
          expect = E_VALUE;
          continue;
        case E_COMMA_OR_CLOSE: {
          const kind = kinds[depth];
          if (c === 0x2c) {
            i += 1;
            expect = kind === KIND_OBJ ? E_KEY : E_VALUE;
            continue;
          }
          if ((c === 0x7d && kind === KIND_OBJ) || (c === 0x5d && kind === KIND_ARR)) {
            if (c === 0x7d && contentDepth !== -1 && depth === contentDepth + 1 && !elementTypeOk) return false;
            if (c === 0x5d && depth === contentDepth) contentDepth = -1;
            depth -= 1;
            i += 1;
            if (this.capture[depth + 1] === F.message) inMessage = false;
            expect = this.afterClose(depth, spans, i);
            continue;
          }
          return false;
        }
        default:
          return false; // E_END: only whitespace may follow the root value
      }
    }
    return expect === E_END;
  }

  /** After a container closed (now at `depth`): ends its captured span. */
  private afterClose(depth: number, spans: LineSpans, at: number): number {
    const field = this.capture[depth + 1] as number;
    if (field >= 0) spans.end[field] = at;
    this.capture[depth + 1] = -1;
    return depth === 0 ? E_END : E_COMMA_OR_CLOSE;
  }
}
