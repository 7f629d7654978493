import { addUsage, emptyUsage, totalTokens, type Usage, type UsageRecord } from '@agentmux/core';

/**
 * Claude's reference dedup rule over usage records (from one or several files): records without `dedupKey` are
 * all kept; for a repeated key a main-chain record beats a sidechain replay, otherwise the larger token total wins
 * (the first one on a tie). Output keeps the position of each key's first record. The cost engine in core applies
 * the same rule; this copy serves tests and callers that only need token totals.
 */
export function dedupeClaudeUsage(records: readonly UsageRecord[]): UsageRecord[] {
  const out: (UsageRecord | undefined)[] = [];
  const slot = new Map<string, number>();
  for (const record of records) {
    const key = record.dedupKey;
    if (key === undefined) {
      out.push(record);
      continue;
    }
    const at = slot.get(key);
    const kept = at === undefined ? undefined : out[at];
    if (at === undefined || kept === undefined) {
      slot.set(key, out.length);
      out.push(record);
      continue;
    }
    const keptSide = kept.isSidechain === true;
    const newSide = record.isSidechain === true;
    const better = keptSide === newSide ? totalTokens(record.usage) > totalTokens(kept.usage) : !newSide;
    if (better) out[at] = record;
  }
  return out.filter((r): r is UsageRecord => r !== undefined);
}

/** Sum of the usage of `records`. */
export function sumUsage(records: readonly UsageRecord[]): Usage {
  const sum = emptyUsage();
  for (const record of records) addUsage(sum, record.usage);
  return sum;
}
