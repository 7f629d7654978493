import type { TranscriptFile, UsageRecord } from '@agentmux/core';
import type { ClaudeScanSlowPath, LineFacts } from './usage-scan-slow.js';
import type { NormalizedClaudeUsage } from './usage-normalize.js';

// The per-file state of the Claude usage scan: the records it keeps (with the reader's rules), and the zod-based
// slow path it falls back to for lines it cannot settle alone (loaded on first need, so workers start lean).

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Loaded on first need (see `ClaudeScanSlowPath`). */
let slow: ClaudeScanSlowPath | null = null;
/** The loaded slow path; callers reach it only after `loadClaudeScanSlowPath()`. */
export function loadedSlowPath(): ClaudeScanSlowPath {
  return needSlow();
}
/** Thrown inside a sync scan that needs the slow path before it is loaded; the async scan loads it and retries. */
export const NEED_SLOW = Symbol('need-slow-path');
function needSlow(): ClaudeScanSlowPath {
  if (slow === null) throw NEED_SLOW;
  return slow;
}
/** Loads the zod-based slow path (the reader's schema and code). */
export async function loadClaudeScanSlowPath(): Promise<void> {
  slow ??= (await import('./usage-scan-slow.js')).slowPath;
}

const isCount = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isOptCount = (v: unknown): boolean => v === undefined || v === null || isCount(v);
const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `normalizeClaudeUsage` without zod for the ordinary shape; anything unusual goes through the reader's own code. */
function normalize(raw: unknown): NormalizedClaudeUsage | null {
  if (!isPlain(raw)) return needSlow().normalizeUsage(raw);
  const u = raw;
  const cc = u['cache_creation'];
  const stu = u['server_tool_use'];
  const ordinary =
    isCount(u['input_tokens']) && isCount(u['output_tokens']) &&
    isOptCount(u['cache_creation_input_tokens']) && isOptCount(u['cache_read_input_tokens']) &&
    (cc === undefined || cc === null || (isPlain(cc) && isOptCount(cc['ephemeral_5m_input_tokens']) && isOptCount(cc['ephemeral_1h_input_tokens']))) &&
    (stu === undefined || stu === null || (isPlain(stu) && isOptCount(stu['web_search_requests']) && isOptCount(stu['web_fetch_requests']))) &&
    (u['service_tier'] == null || typeof u['service_tier'] === 'string') &&
    (u['speed'] == null || typeof u['speed'] === 'string');
  if (!ordinary) return needSlow().normalizeUsage(raw);
  const creation = (u['cache_creation_input_tokens'] as number | null | undefined) ?? 0;
  let cacheWrite5m = creation;
  let cacheWrite1h = 0;
  if (isPlain(cc) && (cc['ephemeral_5m_input_tokens'] != null || cc['ephemeral_1h_input_tokens'] != null)) {
    cacheWrite5m = (cc['ephemeral_5m_input_tokens'] as number | null | undefined) ?? 0;
    cacheWrite1h = (cc['ephemeral_1h_input_tokens'] as number | null | undefined) ?? 0;
    const rest = creation - cacheWrite5m - cacheWrite1h;
    if (rest > 0) cacheWrite5m += rest;
  }
  const usage = {
    input: u['input_tokens'] as number,
    output: u['output_tokens'] as number,
    cacheWrite5m,
    cacheWrite1h,
    cacheRead: (u['cache_read_input_tokens'] as number | null | undefined) ?? 0,
    reasoning: 0,
    webSearchRequests: (isPlain(stu) ? (stu['web_search_requests'] as number | null | undefined) : undefined) ?? 0,
  };
  const total = usage.input + usage.output + usage.cacheWrite5m + usage.cacheWrite1h + usage.cacheRead;
  return { usage, fast: u['speed'] === 'fast', total };
}

/** Per-file state: records, skip counts, seen uuids, and whether the file needs the full reader. */
export class FileScan {
  readonly records: UsageRecord[] = [];
  readonly skipped: Record<string, number> = {};
  needsReader = false;
  private readonly seen = new Set<string>();
  private readonly billing: string;
  private readonly source: string | undefined;

  constructor(file: TranscriptFile) {
    this.billing = file.kind === 'subagent' ? (file.parentSessionId ?? file.sessionId) : file.sessionId;
    this.source = file.kind === 'subagent' ? file.sessionId : undefined;
  }

  skip(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }

  /** The reader's `recordUsage` for a schema-valid assistant line (turn fields left out). */
  add(f: LineFacts): void {
    if (f.uuid) {
      if (this.seen.has(f.uuid)) {
        this.skip('duplicate-uuid');
        return;
      }
      this.seen.add(f.uuid);
    }
    if (f.usage === undefined || f.usage === null) return;
    const norm = f.normalized ?? normalize(f.usage);
    if (!norm) {
      this.skip('invalid-usage');
      return;
    }
    if (norm.total === 0 && norm.usage.webSearchRequests === 0) return;
    if (f.cwd === undefined || f.cwd === null) {
      this.needsReader = true; // the reader falls back to the file's first cwd: let it decide
      return;
    }
    const record: UsageRecord = {
      timestamp: f.timestamp,
      sessionId: this.billing,
      providerId: 'claude',
      usage: norm.usage,
      isSidechain: f.isSidechain,
      fast: norm.fast,
    };
    if (this.source !== undefined) record.sourceSessionId = this.source;
    if (f.model) record.model = f.model;
    if (f.cwd) record.cwd = f.cwd;
    const key = f.id ? (f.requestId ? `${f.id}:${f.requestId}` : f.id) : undefined;
    if (key) {
      record.dedupKey = key;
      record.dedupPolicy = 'max-total';
    }
    if (typeof f.costUSD === 'number') record.costUSD = f.costUSD;
    this.records.push(record);
  }

  /** The reader's path for one line: decode, JSON.parse, schema; used whenever the fast path is not sure. */
  slowLine(bytes: Buffer): void {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      this.skip('invalid-utf8');
      return;
    }
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim().length === 0) return;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.skip('invalid-json');
      return;
    }
    if (!isPlain(value)) {
      this.skip('not-an-object');
      return;
    }
    if (typeof value['type'] !== 'string') {
      this.skip('missing-type');
      return;
    }
    if (value['type'] !== 'assistant') return;
    const facts = needSlow().assistantFacts(value);
    if (facts === null) this.skip('invalid-assistant');
    else this.add(facts);
  }
}

/** Decodes a JSON string span (quotes included). */
