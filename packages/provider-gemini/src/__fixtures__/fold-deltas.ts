import type { SkipCounts, TranscriptDelta, TranscriptSignal, Turn, Usage, UsageRecord } from '@agentmux/core';

/** What a consumer ends up with after applying a series of deltas (test support). */
export interface Folded {
  usage: Map<string, UsageRecord>;
  turns: Map<number, Turn>;
  lastSignal: TranscriptSignal | undefined;
  signalStates: string[];
  skipped: SkipCounts;
  unknownTypes: SkipCounts;
  models: string[];
  session: TranscriptDelta['session'];
  nextOffset: number;
}

function addCounts(into: SkipCounts, from: SkipCounts): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

/** Applies deltas the way a consumer would: retractions, then last-wins usage, turns by index, counts summed. */
export function foldDeltas(deltas: readonly TranscriptDelta[]): Folded {
  const out: Folded = {
    usage: new Map(),
    turns: new Map(),
    lastSignal: undefined,
    signalStates: [],
    skipped: {},
    unknownTypes: {},
    models: [],
    session: { models: [] },
    nextOffset: 0,
  };
  for (const d of deltas) {
    for (const key of d.retractedKeys) out.usage.delete(key);
    for (const u of d.usage) out.usage.set(u.dedupKey ?? `${out.usage.size}`, u);
    for (const t of d.turns) out.turns.set(t.index, t);
    for (const s of d.signals) out.signalStates.push(s.state);
    out.lastSignal = d.signals[d.signals.length - 1] ?? out.lastSignal;
    addCounts(out.skipped, d.skipped);
    addCounts(out.unknownTypes, d.unknownTypes);
    for (const m of d.session.models) if (!out.models.includes(m)) out.models.push(m);
    out.session = { ...out.session, ...d.session, models: out.models };
    out.nextOffset = d.nextOffset;
  }
  return out;
}

/** Sums the token columns of usage records. */
export function sumUsage(records: Iterable<UsageRecord>): Usage {
  const sum: Usage = { input: 0, output: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, reasoning: 0, webSearchRequests: 0 };
  for (const r of records) {
    for (const k of Object.keys(sum) as Array<keyof Usage>) sum[k] += r.usage[k];
  }
  return sum;
}
