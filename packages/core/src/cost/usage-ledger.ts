import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { Cost } from '../spec/cost.js';
import type { PriceTable } from '../spec/model-price.js';
import type { UsageRecord } from '../spec/transcript.js';
import { totalTokens } from '../spec/usage-math.js';
import { AggregateAccumulator, createDayKey, type AggregateBy, type CostAggregate } from './cost-aggregate.js';
import { costOfRecord, type CostMode, type TierMode } from './cost-of-usage.js';
import { defaultPriceTable } from './price-table.js';

/** Options of a `UsageLedger`. */
export interface UsageLedgerOptions {
  /** Prices; default `defaultPriceTable`. */
  priceTable?: PriceTable;
  /** Cost source; default `calculate`. */
  mode?: CostMode;
  /** 200k tier rule; default `per-bucket`. */
  tier?: TierMode;
  /** IANA time zone for `day` aggregates; default the process's local zone. */
  timeZone?: string;
  /** Maps a record to the agent it belongs to (for `agent` aggregates); records mapped to `undefined` are left out. */
  agentOf?: (record: UsageRecord) => string | undefined;
  /** Only records at or after this time count (dedup still sees all records). */
  since?: Date;
  /** Only records before this time count. */
  until?: Date;
  /** Groupings to keep aggregates for (default all); fewer is faster for one-shot reports. */
  dimensions?: readonly AggregateBy[];
  /**
   * Keep every candidate record of a key (default true), so that `removeSource` can re-elect from what remains.
   * One-shot reports pass false: only each key's winner is kept (same results, less memory); `removeSource` then
   * throws.
   */
  keepHistory?: boolean;
}

/** The groups whose aggregates changed in one ledger operation. */
export interface LedgerChange {
  /** Session ids whose aggregates changed. */
  sessions: Set<string>;
  /** Agent ids whose aggregates changed. */
  agents: Set<string>;
}

interface Candidate {
  record: UsageRecord;
  seq: number;
  source: string;
  /** For `max-total`: message id (the key up to the first `:`), for the sidechain-replay rule. */
  group: string | undefined;
  total: number;
  /** Set while the candidate counts: its cost and the accumulators it was added to. */
  cost?: Cost;
  accs?: AggregateAccumulator[];
}

interface KeyState {
  candidates: Candidate[];
  winner: Candidate | null;
}

const DIMENSIONS: readonly AggregateBy[] = ['session', 'project', 'model', 'day', 'agent', 'provider'];

/**
 * Deduplicates usage records from any number of files, fed in any order, and keeps live aggregates.
 *
 * Dedup rules (the result does not depend on the order records arrive in):
 * - records without `dedupKey` always count;
 * - `max-total` (Claude): among records with the same key the one with the larger token total wins (ties: a
 *   main-chain record, then the earlier timestamp, then the first added);
 * - sidechain replay (Claude): the key is `message.id:requestId`, but a replay is recognised by `message.id`
 *   alone (the key up to its first `:`): while any main-chain record with that message id exists, every
 *   sidechain record with it is dropped, even a larger one and even under another requestId;
 * - `last-wins` (Gemini): the record added last wins;
 * - `retract(keys)` (Gemini `$rewindTo`) drops every record currently held under those keys.
 * Aggregates: `session` (the record's billing session: a subagent's usage counts in its parent), `project` (the
 * record's full `cwd`; `(unknown)` without one), `model` (`(no model)`), `day` (calendar day of the record time in
 * `timeZone`), `agent` (`agentOf`), `provider`. `since`/`until` filter counted records by their time, after dedup.
 * Records are grouped by source (a file path) so that `removeSource` can drop a re-read file's records and
 * re-elect winners from what remains.
 */
export class UsageLedger {
  private readonly table: PriceTable;
  private readonly mode: CostMode;
  private readonly tier: TierMode;
  private readonly dayKey: (ts: string) => string;
  private readonly dims: ReadonlySet<AggregateBy>;
  private readonly keepHistory: boolean;
  private readonly agentOf: ((r: UsageRecord) => string | undefined) | undefined;
  private readonly sinceIso: string | undefined;
  private readonly untilIso: string | undefined;
  private seq = 0;
  private costOptions: { mode: CostMode; tier: TierMode } | undefined;
  private readonly keys = new Map<string, KeyState>();
  /** Message id → main-chain candidate count and the keys seen with it (one key, or several). */
  private readonly groups = new Map<string, { main: number; keys: string | string[] }>();
  private readonly unkeyed = new Map<string, Candidate[]>();
  private readonly sourceKeys = new Map<string, Set<string>>();
  /** Counting candidates without a key (with a key, the winner of `keys` counts). */
  private readonly unkeyedCounting = new Set<Candidate>();
  private readonly accs = new Map<AggregateBy, Map<string, AggregateAccumulator>>();
  private readonly total = new AggregateAccumulator('total', 'total');
  private change: LedgerChange = { sessions: new Set(), agents: new Set() };

  constructor(options: UsageLedgerOptions = {}) {
    this.table = options.priceTable ?? defaultPriceTable;
    this.mode = options.mode ?? 'calculate';
    this.tier = options.tier ?? 'per-bucket';
    try {
      this.dayKey = createDayKey(options.timeZone);
    } catch (error) {
      throw new InvalidArgumentError('timeZone', `"${options.timeZone}" is not an IANA time zone`, 'pass a zone such as "UTC" or "Europe/Berlin"', { cause: error });
    }
    this.agentOf = options.agentOf;
    for (const [field, d] of [['since', options.since], ['until', options.until]] as const) {
      if (d !== undefined && Number.isNaN(d.getTime())) throw new InvalidArgumentError(field, 'invalid date', 'pass a valid Date');
    }
    this.sinceIso = options.since?.toISOString();
    this.untilIso = options.until?.toISOString();
    this.dims = new Set(options.dimensions ?? DIMENSIONS);
    this.keepHistory = options.keepHistory ?? true;
    for (const d of DIMENSIONS) this.accs.set(d, new Map());
  }

  /** Adds records read from `source` (a file path; default `""`), then applies `retractedKeys`. */
  add(records: readonly UsageRecord[], source = '', retractedKeys: readonly string[] = []): LedgerChange {
    for (const record of records) this.addOne(record, source);
    if (retractedKeys.length > 0) this.retractKeys(retractedKeys);
    return this.takeChange();
  }

  /**
   * Adds records that were deduplicated elsewhere (`OneShotUsageDedup`): each counts once, whatever its
   * `dedupKey`, and none is kept (`records()` does not list them, `removeSource` cannot drop them). For one-shot
   * reports; mixing it with `add` for the same keys counts them twice.
   */
  addDeduplicated(records: readonly UsageRecord[]): LedgerChange {
    for (const record of records) {
      this.seq += 1;
      this.count(record, undefined);
    }
    return this.takeChange();
  }

  /** Drops every record currently held under `keys` (Gemini `$rewindTo`). */
  retract(keys: readonly string[]): LedgerChange {
    this.retractKeys(keys);
    return this.takeChange();
  }

  /** Drops everything added from `source` and re-elects the winners of the keys it touched. */
  removeSource(source: string): LedgerChange {
    if (!this.keepHistory) throw new InvalidArgumentError('removeSource', 'this ledger keeps no history (keepHistory: false)', 'create the ledger with keepHistory: true');
    const unkeyed = this.unkeyed.get(source);
    if (unkeyed) {
      for (const c of unkeyed) this.uncontribute(c);
      this.unkeyed.delete(source);
    }
    const keys = this.sourceKeys.get(source);
    if (keys) {
      for (const key of keys) {
        const state = this.keys.get(key);
        if (!state) continue;
        const removed = state.candidates.filter((c) => c.source === source);
        state.candidates = state.candidates.filter((c) => c.source !== source);
        for (const c of removed) this.noteGroup(c, -1);
        this.elect(key, state);
        if (state.candidates.length === 0) this.keys.delete(key);
      }
      this.sourceKeys.delete(source);
    }
    return this.takeChange();
  }

  /** The records that count (deduplicated, inside since/until). */
  *records(): IterableIterator<UsageRecord> {
    for (const state of this.keys.values()) if (state.winner?.accs) yield state.winner.record;
    for (const c of this.unkeyedCounting) yield c.record;
  }

  /** Totals over every counted record. */
  totals(): CostAggregate {
    return this.total.toAggregate();
  }

  /** Aggregates by one dimension, sorted by key. */
  aggregate(by: AggregateBy): CostAggregate[] {
    const map = this.accs.get(by);
    if (!map) throw new InvalidArgumentError('by', `"${String(by)}" is not a grouping`, `use one of ${DIMENSIONS.join(', ')}`);
    if (!this.dims.has(by)) throw new InvalidArgumentError('by', `"${by}" is not kept by this ledger`, 'include it in the `dimensions` option');
    return [...map.values()].filter((a) => a.records > 0).map((a) => a.toAggregate()).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** One group's aggregate, or `undefined`. */
  get(by: AggregateBy, key: string): CostAggregate | undefined {
    const acc = this.accs.get(by)?.get(key);
    return acc && acc.records > 0 ? acc.toAggregate() : undefined;
  }

  private takeChange(): LedgerChange {
    const c = this.change;
    this.change = { sessions: new Set(), agents: new Set() };
    return c;
  }

  private addOne(record: UsageRecord, source: string): void {
    const key = record.dedupKey;
    const policy = record.dedupPolicy ?? 'max-total';
    const colon = key === undefined ? -1 : key.indexOf(':');
    const c: Candidate = {
      record,
      seq: this.seq++,
      source,
      group: key !== undefined && policy === 'max-total' ? (colon >= 0 ? key.slice(0, colon) : key) : undefined,
      total: totalTokens(record.usage),
    };
    if (key === undefined) {
      if (this.keepHistory) {
        let list = this.unkeyed.get(source);
        if (!list) this.unkeyed.set(source, (list = []));
        list.push(c);
      }
      this.contribute(c);
      return;
    }
    let state = this.keys.get(key);
    if (!state) this.keys.set(key, (state = { candidates: [], winner: null }));
    state.candidates.push(c);
    if (this.keepHistory) {
      let sk = this.sourceKeys.get(source);
      if (!sk) this.sourceKeys.set(source, (sk = new Set()));
      sk.add(key);
    }
    if (c.group !== undefined) {
      let g = this.groups.get(c.group);
      if (!g) this.groups.set(c.group, (g = { main: 0, keys: key }));
      else if (typeof g.keys === 'string') {
        if (g.keys !== key) g.keys = [g.keys, key];
      } else if (!g.keys.includes(key)) g.keys.push(key);
      if (record.isSidechain !== true) {
        g.main += 1;
        if (g.main === 1) {
          // A main-chain record appeared: sidechain replays under other keys of this message lose.
          for (const k of typeof g.keys === 'string' ? [g.keys] : g.keys) if (k !== key) this.electKey(k);
        }
      }
    }
    this.elect(key, state);
  }

  private noteGroup(c: Candidate, sign: 1 | -1): void {
    if (c.group === undefined || c.record.isSidechain === true) return;
    const g = this.groups.get(c.group);
    if (!g) return;
    g.main += sign;
    if (g.main === 0) for (const k of typeof g.keys === 'string' ? [g.keys] : g.keys) this.electKey(k);
  }

  private retractKeys(keys: readonly string[]): void {
    for (const key of keys) {
      const state = this.keys.get(key);
      if (!state) continue;
      const removed = state.candidates;
      state.candidates = [];
      for (const c of removed) this.noteGroup(c, -1);
      this.elect(key, state);
      this.keys.delete(key);
    }
  }

  private electKey(key: string): void {
    const state = this.keys.get(key);
    if (state) this.elect(key, state);
  }

  private elect(_key: string, state: KeyState): void {
    let best: Candidate | null = null;
    const first = state.candidates[0];
    if (first) {
      if ((first.record.dedupPolicy ?? 'max-total') === 'last-wins') {
        for (const c of state.candidates) if (!best || c.seq > best.seq) best = c;
      } else {
        const g = first.group === undefined ? undefined : this.groups.get(first.group);
        const mainExists = g !== undefined && g.main > 0;
        for (const c of state.candidates) {
          if (mainExists && c.record.isSidechain === true) continue;
          if (!best || better(c, best)) best = c;
        }
      }
    }
    if (!this.keepHistory) state.candidates = best ? [best] : [];
    if (best === state.winner) return;
    if (state.winner) this.uncontribute(state.winner);
    state.winner = best;
    if (best) this.contribute(best);
  }

  /** Counts `c` in the aggregates; `retain` false: not remembered (it can never be uncounted). */
  private contribute(c: Candidate): void {
    this.count(c.record, c);
  }

  /** Adds one record to the aggregates; with `c`, remembers on it what was added (so it can be taken back). */
  private count(r: UsageRecord, c: Candidate | undefined): void {
    if (this.sinceIso !== undefined || this.untilIso !== undefined) {
      const ms = Date.parse(r.timestamp);
      const iso = Number.isNaN(ms) ? '' : new Date(ms).toISOString();
      if (this.sinceIso !== undefined && !(iso >= this.sinceIso)) return;
      if (this.untilIso !== undefined && !(iso !== '' && iso < this.untilIso)) return;
    }
    const cost = costOfRecord(r, this.table, (this.costOptions ??= { mode: this.mode, tier: this.tier }));
    this.total.apply(r, cost, 1);
    const accs: AggregateAccumulator[] | undefined = c ? [this.total] : undefined;
    const agent = this.agentOf?.(r);
    for (const by of this.dims) {
      const key =
        by === 'session' ? r.sessionId
        : by === 'project' ? (r.cwd ?? '(unknown)')
        : by === 'model' ? (r.model ?? '(no model)')
        : by === 'day' ? this.dayKey(r.timestamp)
        : by === 'agent' ? agent
        : r.providerId;
      if (key === undefined) continue;
      const map = this.accs.get(by) as Map<string, AggregateAccumulator>;
      let acc = map.get(key);
      if (!acc) map.set(key, (acc = new AggregateAccumulator(by, key)));
      acc.apply(r, cost, 1);
      accs?.push(acc);
    }
    if (c) {
      c.cost = cost;
      c.accs = accs;
      if (r.dedupKey === undefined) this.unkeyedCounting.add(c);
    }
    this.change.sessions.add(r.sessionId);
    if (agent !== undefined) this.change.agents.add(agent);
  }


  private uncontribute(c: Candidate): void {
    const { accs, cost } = c;
    if (!accs || !cost) return;
    for (const acc of accs) acc.apply(c.record, cost, -1);
    c.accs = undefined;
    c.cost = undefined;
    this.unkeyedCounting.delete(c);
    this.change.sessions.add(c.record.sessionId);
    const agent = this.agentOf?.(c.record);
    if (agent !== undefined) this.change.agents.add(agent);
  }
}

/** `max-total` order: larger total, then main chain over sidechain, then earlier timestamp, then first added. */
function better(a: Candidate, b: Candidate): boolean {
  if (a.total !== b.total) return a.total > b.total;
  const as = a.record.isSidechain === true;
  const bs = b.record.isSidechain === true;
  if (as !== bs) return !as;
  if (a.record.timestamp !== b.record.timestamp) return a.record.timestamp < b.record.timestamp;
  return a.seq < b.seq;
}
