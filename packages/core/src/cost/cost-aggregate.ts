import type { Cost } from '../spec/cost.js';
import type { UsageRecord } from '../spec/transcript.js';
import type { Usage } from '../spec/usage.js';
import { emptyUsage } from '../spec/usage-math.js';

/** What aggregates are grouped by. `project` groups by the record's full `cwd` (the row's `project`). */
export type AggregateBy = 'session' | 'project' | 'model' | 'day' | 'agent' | 'provider';

/** Usage and cost of one group of deduplicated records. */
export interface CostAggregate {
  /** Grouping. */
  by: AggregateBy | 'total';
  /** Group key: session id, cwd, model, `YYYY-MM-DD` (in the ledger's time zone), agent id, provider id. */
  key: string;
  /** Provider ids seen, sorted. */
  providers: string[];
  /** Session id (for `session` rows). */
  sessionId?: string;
  /** Working directory of the group's first record (for session and project rows); `undefined` when unknown. */
  project?: string;
  /** Models seen, sorted (`(no model)` for records without one). */
  models: string[];
  /** Every token column, summed. */
  usage: Usage;
  /** Cost: `usd` null when any record could not be priced. */
  cost: Cost;
  /** Number of deduplicated records. */
  records: number;
  /** Latest record time seen (ISO-8601). */
  lastAt?: string;
}

/**
 * Counts per key (a key whose count drops to 0 is removed; keys keep their first-insertion order). The last key
 * touched is remembered: records of one group mostly repeat the same provider, model and cwd.
 */
class KeyCounts {
  private readonly counts = new Map<string, { n: number }>();
  private lastKey: string | undefined;
  private lastBox: { n: number } | undefined;

  add(k: string, d: number): void {
    let box = k === this.lastKey ? this.lastBox : this.counts.get(k);
    if (box === undefined) {
      if (d <= 0) return;
      box = { n: 0 };
      this.counts.set(k, box);
    }
    box.n += d;
    if (box.n <= 0) {
      this.counts.delete(k);
      this.lastKey = undefined;
      this.lastBox = undefined;
      return;
    }
    this.lastKey = k;
    this.lastBox = box;
  }

  keys(): IterableIterator<string> {
    return this.counts.keys();
  }
}

/** A mutable accumulator that supports removal (counts, so unknown costs and model sets stay exact). */
export class AggregateAccumulator {
  readonly usage: Usage = emptyUsage();
  pricedUsd = 0;
  records = 0;
  unknownRecords = 0;
  lastAt: string | undefined;
  private readonly providers = new KeyCounts();
  private readonly models = new KeyCounts();
  private readonly unpriced = new KeyCounts();
  private readonly reasons = new KeyCounts();
  private readonly cwds = new KeyCounts();

  constructor(
    readonly by: AggregateBy | 'total',
    readonly key: string,
  ) {}

  /** Adds (`sign` 1) or removes (`sign` -1) one record and its cost. */
  apply(record: UsageRecord, cost: Cost, sign: 1 | -1): void {
    const u = record.usage;
    const a = this.usage;
    a.input += sign * u.input;
    a.output += sign * u.output;
    a.cacheWrite5m += sign * u.cacheWrite5m;
    a.cacheWrite1h += sign * u.cacheWrite1h;
    a.cacheRead += sign * u.cacheRead;
    a.reasoning += sign * u.reasoning;
    a.webSearchRequests += sign * u.webSearchRequests;
    this.records += sign;
    this.pricedUsd += sign * cost.pricedUsd;
    if (this.records === 0 || this.pricedUsd < 0) this.pricedUsd = 0; // float drift after removals
    if (cost.usd === null) {
      this.unknownRecords += sign;
      for (const m of cost.unpricedModels) this.unpriced.add(m, sign);
      if (cost.reason) this.reasons.add(cost.reason, sign);
    }
    this.providers.add(record.providerId, sign);
    this.models.add(record.model ?? '(no model)', sign);
    if (record.cwd !== undefined) this.cwds.add(record.cwd, sign);
    if (sign > 0 && (this.lastAt === undefined || record.timestamp > this.lastAt)) this.lastAt = record.timestamp;
  }

  /** The current cost. */
  cost(): Cost {
    const unpricedModels = [...this.unpriced.keys()].sort();
    if (this.unknownRecords > 0) {
      const reasons = [...this.reasons.keys()];
      const reason =
        reasons.length === 1 && reasons[0] !== undefined
          ? reasons[0]
          : `${this.unknownRecords} record(s) could not be priced: ${unpricedModels.join(', ') || 'see unpricedModels'}`;
      return { usd: null, pricedUsd: this.pricedUsd, reason, unpricedModels };
    }
    return { usd: this.pricedUsd, pricedUsd: this.pricedUsd, unpricedModels };
  }

  /** A plain snapshot. */
  toAggregate(): CostAggregate {
    const project = this.cwds.keys().next();
    return {
      by: this.by,
      key: this.key,
      providers: [...this.providers.keys()].sort(),
      ...(this.by === 'session' ? { sessionId: this.key } : {}),
      ...(project.done ? {} : { project: project.value }),
      models: [...this.models.keys()].sort(),
      usage: { ...this.usage },
      cost: this.cost(),
      records: this.records,
      ...(this.lastAt === undefined ? {} : { lastAt: this.lastAt }),
    };
  }
}

/**
 * Maps an ISO timestamp to its calendar day in an IANA time zone, cached per minute prefix (time zones with
 * sub-hour offsets stay correct). Invalid timestamps map to `invalid-date`.
 */
export function createDayKey(timeZone?: string): (timestamp: string) => string {
  // UTC needs no time zone data: the day is the date of the ISO time (loading ICU's zone data costs ~12 ms).
  if (timeZone === 'UTC') {
    return (timestamp: string): string => {
      const ms = Date.parse(timestamp);
      return Number.isNaN(ms) ? 'invalid-date' : new Date(ms).toISOString().slice(0, 10);
    };
  }
  // Validate now (a bad zone throws here); build the formatter used per record on first use.
  if (timeZone !== undefined) new Intl.DateTimeFormat('en-CA', { timeZone });
  let fmt: Intl.DateTimeFormat | undefined;
  const cache = new Map<string, string>();
  return (timestamp: string): string => {
    fmt ??= new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    const prefix = timestamp.slice(0, 16);
    const hit = cache.get(prefix);
    if (hit !== undefined) return hit;
    const ms = Date.parse(timestamp);
    const day = Number.isNaN(ms) ? 'invalid-date' : fmt.format(ms);
    if (cache.size > 100_000) cache.clear();
    cache.set(prefix, day);
    return day;
  };
}
