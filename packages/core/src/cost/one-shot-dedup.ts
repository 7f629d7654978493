import type { CompactUsageRecords, UsageScanResult } from '../spec/provider-v1.js';
import type { UsageRecord } from '../spec/transcript.js';
import { checkCompactUsage, compactRow, compactString, COMPACT_NUMBERS, COMPACT_REFS } from './compact-usage.js';
import type { UsageLedger } from './usage-ledger.js';

type Batch = { compact: CompactUsageRecords; records?: undefined } | { compact?: undefined; records: readonly UsageRecord[] };

/**
 * Deduplication for one-shot reports (`agentmux costs`): `max-total` candidates are held in their scan results'
 * compact columns (no record objects, no per-candidate state beyond two map entries per key), and only the winners
 * are turned into records, once, when `finish()` adds them to the ledger with `addDeduplicated`. The result equals
 * adding every record to the ledger (same rules: larger token total, then main chain over sidechain, then earlier
 * timestamp, then first added; a sidechain record loses while its message id has a main-chain record anywhere).
 * Records without a key count at once; `last-wins` records and retractions go to the ledger as they are.
 */
export class OneShotUsageDedup {
  private readonly batches: Batch[] = [];
  /** Key → best main-chain candidate, as `batch * 2^22 + row`. */
  private readonly main = new Map<string, number>();
  /** Key → best sidechain candidate. */
  private readonly side = new Map<string, number>();
  /** Message ids (keys up to their first `:`) that have a main-chain candidate. */
  private readonly mainGroups = new Set<string>();
  private finished = false;

  constructor(private readonly ledger: UsageLedger) {}

  /** Adds one file's scan result (compact rows and/or records), in the order files should count. */
  add(result: UsageScanResult, source = ''): void {
    if (this.finished) throw new Error('OneShotUsageDedup.add after finish()');
    if (result.compact && result.compact.count > 0) {
      checkCompactUsage(result.compact);
      this.addCompact(result.compact);
    }
    const direct: UsageRecord[] = [];
    const unkeyed: UsageRecord[] = [];
    const keyed: UsageRecord[] = [];
    for (const r of result.records) {
      if (r.dedupKey === undefined) unkeyed.push(r);
      else if ((r.dedupPolicy ?? 'max-total') === 'max-total') keyed.push(r);
      else direct.push(r);
    }
    if (unkeyed.length > 0) this.ledger.addDeduplicated(unkeyed);
    if (direct.length > 0 || result.retractedKeys.length > 0) this.ledger.add(direct, source, result.retractedKeys);
    if (keyed.length > 0) {
      const b = this.batches.push({ records: keyed }) - 1;
      for (let i = 0; i < keyed.length; i += 1) {
        const r = keyed[i] as UsageRecord;
        this.offer(r.dedupKey as string, r.isSidechain === true, b, i);
      }
    }
  }

  private addCompact(c: CompactUsageRecords): void {
    const b = this.batches.push({ compact: c }) - 1;
    const unkeyed: UsageRecord[] = [];
    for (let i = 0; i < c.count; i += 1) {
      const o = i * COMPACT_REFS;
      const flags = c.refs[o] as number;
      const key = c.refs[o + 4] as number;
      const policy = (flags >> 4) & 3;
      if (key < 0) unkeyed.push(compactRow(c, i));
      else if (policy === 2) this.ledger.add([compactRow(c, i)]);
      else this.offer(compactString(c, key), (flags & 3) === 3, b, i);
    }
    if (unkeyed.length > 0) this.ledger.addDeduplicated(unkeyed);
  }

  private total(ref: number): number {
    const batch = this.batches[Math.floor(ref / 4194304)] as Batch;
    const row = ref % 4194304;
    if (batch.compact) {
      const n = batch.compact.numbers;
      const a = row * COMPACT_NUMBERS;
      return (n[a] as number) + (n[a + 1] as number) + (n[a + 2] as number) + (n[a + 3] as number) + (n[a + 4] as number);
    }
    const u = (batch.records[row] as UsageRecord).usage;
    return u.input + u.output + u.cacheWrite5m + u.cacheWrite1h + u.cacheRead;
  }

  private timestamp(ref: number): string {
    const batch = this.batches[Math.floor(ref / 4194304)] as Batch;
    const row = ref % 4194304;
    if (batch.compact) return compactString(batch.compact, batch.compact.refs[row * COMPACT_REFS + 1] as number);
    return (batch.records[row] as UsageRecord).timestamp;
  }

  private record(ref: number): UsageRecord {
    const batch = this.batches[Math.floor(ref / 4194304)] as Batch;
    const row = ref % 4194304;
    return batch.compact ? compactRow(batch.compact, row) : (batch.records[row] as UsageRecord);
  }

  private offer(key: string, sidechain: boolean, batch: number, row: number): void {
    if (row >= 4194304) throw new RangeError('OneShotUsageDedup: more than 4,194,304 records in one scan result');
    const ref = batch * 4194304 + row;
    const map = sidechain ? this.side : this.main;
    const held = map.get(key);
    if (held === undefined) {
      map.set(key, ref);
      if (!sidechain) {
        const colon = key.indexOf(':');
        this.mainGroups.add(colon >= 0 ? key.slice(0, colon) : key);
      }
      return;
    }
    // Candidates arrive in order: on equal totals and times the held one (added first) stays.
    const a = this.total(ref);
    const b = this.total(held);
    if (a > b || (a === b && this.timestamp(ref) < this.timestamp(held))) map.set(key, ref);
  }

  /** Elects each key's winner and adds the winners to the ledger (`addDeduplicated`). Call once, after every `add`. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    const mainGroups = this.mainGroups;
    const winners: UsageRecord[] = [];
    const flush = (): void => {
      this.ledger.addDeduplicated(winners);
      winners.length = 0;
    };
    for (const ref of this.main.values()) {
      winners.push(this.record(ref));
      if (winners.length >= 4096) flush();
    }
    for (const [key, ref] of this.side) {
      if (this.main.has(key)) continue;
      const colon = key.indexOf(':');
      if (mainGroups.has(colon >= 0 ? key.slice(0, colon) : key)) continue;
      winners.push(this.record(ref));
      if (winners.length >= 4096) flush();
    }
    flush();
    this.main.clear();
    this.side.clear();
    this.mainGroups.clear();
    this.batches.length = 0;
  }
}
