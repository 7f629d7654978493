import type { TranscriptDelta, TranscriptFile, Turn, UsageRecord, TranscriptSignal } from '@agentmux/core';
import { fileURLToPath } from 'node:url';
import { CodexTranscriptReader, type CodexReaderOptions } from './parser.js';

/** Absolute path of a fixture file. */
export const fixture = (name: string): string => fileURLToPath(new URL(`./__fixtures__/${name}`, import.meta.url));

/** A TranscriptFile for a path. */
export function fileFor(path: string, sessionId = 'unknown-session', extra: Partial<TranscriptFile> = {}): TranscriptFile {
  return { path, providerId: 'codex', sessionId, kind: 'main', ...extra };
}

/** Everything several deltas said, merged the way a caller would. */
export interface Merged {
  session: TranscriptDelta['session'];
  turns: Turn[];
  usage: UsageRecord[];
  signals: TranscriptSignal[];
  skipped: Record<string, number>;
  unknownTypes: Record<string, number>;
  nextOffset: number;
}

export function mergeDeltas(deltas: readonly TranscriptDelta[]): Merged {
  const turns = new Map<number, Turn>();
  const out: Merged = { session: { models: [] }, turns: [], usage: [], signals: [], skipped: {}, unknownTypes: {}, nextOffset: 0 };
  for (const d of deltas) {
    out.session = { ...out.session, ...d.session };
    for (const t of d.turns) turns.set(t.index, t);
    out.usage.push(...d.usage);
    out.signals.push(...d.signals);
    for (const [k, v] of Object.entries(d.skipped)) out.skipped[k] = (out.skipped[k] ?? 0) + v;
    for (const [k, v] of Object.entries(d.unknownTypes)) out.unknownTypes[k] = (out.unknownTypes[k] ?? 0) + v;
    out.nextOffset = d.nextOffset;
  }
  out.turns = [...turns.values()].sort((a, b) => a.index - b.index);
  return out;
}

/** Reads a whole file in one read. */
export async function readOnce(path: string, options: CodexReaderOptions = {}, file?: TranscriptFile): Promise<Merged> {
  const reader = new CodexTranscriptReader(file ?? fileFor(path), 0, options);
  return mergeDeltas([await reader.read()]);
}

/** Sums usage records column by column. */
export function sumUsage(records: readonly UsageRecord[]) {
  const sum = { input: 0, output: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, reasoning: 0, webSearchRequests: 0 };
  for (const r of records) for (const k of Object.keys(sum) as Array<keyof typeof sum>) sum[k] += r.usage[k];
  return sum;
}
