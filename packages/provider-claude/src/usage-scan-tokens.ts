import type { NormalizedClaudeUsage } from './usage-normalize.js';

/**
 * `normalizeClaudeUsage(JSON.parse(span))` for the ordinary shape of a Claude `usage` object, read straight from
 * the bytes (no string, no intermediate object): the keys `input_tokens`, `output_tokens`,
 * `cache_creation_input_tokens`, `cache_read_input_tokens` (whole numbers of at most 15 digits; the last two may be
 * null), `cache_creation` and `server_tool_use` (null or objects of their known counts), `service_tier` and `speed`
 * (null or strings without escapes). Any other key, value or escape returns `undefined`: the caller then uses
 * `JSON.parse` and the reader's normalisation. The span must be valid JSON (the line skimmer checked it).
 */
export function readUsageTokens(buf: Buffer, start: number, end: number): NormalizedClaudeUsage | undefined {
  return reader.reset(buf, end).read(start);
}

const KEYS = [
  'input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens', 'cache_creation',
  'server_tool_use', 'service_tier', 'speed', 'ephemeral_5m_input_tokens', 'ephemeral_1h_input_tokens',
  'web_search_requests', 'web_fetch_requests',
].map((k) => Buffer.from(k, 'latin1'));
const INPUT = 0;
const OUTPUT = 1;
const CREATION = 2;
const READ = 3;
const CC = 4;
const STU = 5;
const TIER = 6;
const SPEED = 7;
const E5M = 8;
const E1H = 9;
const WEB_SEARCH = 10;
const WEB_FETCH = 11;
const FAST = Buffer.from('fast', 'latin1');
const NONE = -1; // absent or null
const BAD = -2; // not the ordinary shape

class TokenReader {
  private i = 0;
  private buf: Buffer = Buffer.alloc(0);
  private end = 0;

  reset(buf: Buffer, end: number): this {
    this.buf = buf;
    this.end = end;
    return this;
  }

  private ws(): void {
    const buf = this.buf;
    while (this.i < this.end) {
      const c = buf[this.i];
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      this.i += 1;
    }
  }

  /** The known key at `i` (a quote), or -1; moves past the key and its colon. */
  private key(): number {
    const buf = this.buf;
    const s = this.i + 1;
    let e = s;
    while (e < this.end && buf[e] !== 0x22) {
      if (buf[e] === 0x5c) return -1;
      e += 1;
    }
    let found = -1;
    for (let k = 0; k < KEYS.length; k += 1) {
      const key = KEYS[k] as Buffer;
      if (key.length !== e - s) continue;
      let j = 0;
      while (j < key.length && key[j] === buf[s + j]) j += 1;
      if (j === key.length) {
        found = k;
        break;
      }
    }
    this.i = e + 1;
    this.ws();
    if (buf[this.i] !== 0x3a) return -1;
    this.i += 1;
    this.ws();
    return found;
  }

  /** A whole number (≤ 15 digits) or null: its value, NONE for null, BAD otherwise. */
  private count(): number {
    const buf = this.buf;
    if (buf[this.i] === 0x6e) {
      this.i += 4;
      return NONE;
    }
    const s = this.i;
    let n = 0;
    while (this.i < this.end && (buf[this.i] as number) >= 0x30 && (buf[this.i] as number) <= 0x39) {
      n = n * 10 + ((buf[this.i] as number) - 0x30);
      this.i += 1;
    }
    const c = buf[this.i];
    if (this.i === s || this.i - s > 15 || c === 0x2e || c === 0x65 || c === 0x45) return BAD;
    return n;
  }

  /** A string without escapes (1, or 2 when it is "fast"), null (NONE), or BAD. */
  private text(): number {
    const buf = this.buf;
    if (buf[this.i] === 0x6e) {
      this.i += 4;
      return NONE;
    }
    if (buf[this.i] !== 0x22) return BAD;
    const s = this.i + 1;
    let e = s;
    while (e < this.end && buf[e] !== 0x22) {
      if (buf[e] === 0x5c) return BAD;
      e += 1;
    }
    this.i = e + 1;
    return e - s === FAST.length && FAST.equals(buf.subarray(s, e)) ? 2 : 1;
  }

  /** After a value: true at a comma (moved past it), false at the closing brace (moved past it); null otherwise. */
  private next(): boolean | null {
    this.ws();
    const c = this.buf[this.i];
    this.i += 1;
    if (c === 0x2c) {
      this.ws();
      return true;
    }
    return c === 0x7d ? false : null;
  }

  /** A nested object of two known counts (or null): [first, second] with NONE for absent/null; null when BAD. */
  private pair(a: number, b: number): [number, number] | null | 'null' {
    const buf = this.buf;
    if (buf[this.i] === 0x6e) {
      this.i += 4;
      return 'null';
    }
    if (buf[this.i] !== 0x7b) return null;
    this.i += 1;
    this.ws();
    const out: [number, number] = [NONE, NONE];
    if (buf[this.i] === 0x7d) {
      this.i += 1;
      return out;
    }
    for (;;) {
      if (buf[this.i] !== 0x22) return null;
      const k = this.key();
      if (k !== a && k !== b) return null;
      const v = this.count();
      if (v === BAD) return null;
      out[k === a ? 0 : 1] = v;
      const more = this.next();
      if (more === null) return null;
      if (!more) return out;
    }
  }

  read(start: number): NormalizedClaudeUsage | undefined {
    const buf = this.buf;
    this.i = start;
    this.ws();
    if (buf[this.i] !== 0x7b) return undefined;
    this.i += 1;
    this.ws();
    let input = NONE;
    let output = NONE;
    let creation = NONE;
    let read = NONE;
    let cc: [number, number] | 'null' | undefined;
    let stu: [number, number] | 'null' | undefined;
    let fast = false;
    if (buf[this.i] !== 0x7d) {
      for (;;) {
        if (buf[this.i] !== 0x22) return undefined;
        const k = this.key();
        if (k === INPUT || k === OUTPUT || k === CREATION || k === READ) {
          const v = this.count();
          if (v === BAD) return undefined;
          if (k === INPUT) input = v;
          else if (k === OUTPUT) output = v;
          else if (k === CREATION) creation = v;
          else read = v;
        } else if (k === CC || k === STU) {
          const v = k === CC ? this.pair(E5M, E1H) : this.pair(WEB_SEARCH, WEB_FETCH);
          if (v === null) return undefined;
          if (k === CC) cc = v;
          else stu = v;
        } else if (k === TIER || k === SPEED) {
          const v = this.text();
          if (v === BAD) return undefined;
          if (k === SPEED) fast = v === 2;
        } else {
          return undefined;
        }
        const more = this.next();
        if (more === null) return undefined;
        if (!more) break;
      }
    } else this.i += 1;
    this.ws();
    if (this.i !== this.end || input < 0 || output < 0) return undefined;
    // normalizeClaudeUsage, for the values read.
    const total0 = creation < 0 ? 0 : creation;
    let cacheWrite5m = total0;
    let cacheWrite1h = 0;
    if (cc !== undefined && cc !== 'null' && (cc[0] >= 0 || cc[1] >= 0)) {
      cacheWrite5m = cc[0] < 0 ? 0 : cc[0];
      cacheWrite1h = cc[1] < 0 ? 0 : cc[1];
      const rest = total0 - cacheWrite5m - cacheWrite1h;
      if (rest > 0) cacheWrite5m += rest;
    }
    const cacheRead = read < 0 ? 0 : read;
    const webSearchRequests = stu !== undefined && stu !== 'null' && stu[0] >= 0 ? stu[0] : 0;
    const usage = { input, output, cacheWrite5m, cacheWrite1h, cacheRead, reasoning: 0, webSearchRequests };
    return { usage, fast, total: input + output + cacheWrite5m + cacheWrite1h + cacheRead };
  }
}

const reader = new TokenReader();
