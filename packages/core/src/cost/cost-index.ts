import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { EventEmitter } from 'eventemitter3';
import type { PriceTable } from '../spec/model-price.js';
import type { ProviderV1, UsageScanResult } from '../spec/provider-v1.js';
import type { TranscriptFile, TranscriptReaderV1, UsageRecord } from '../spec/transcript.js';
import type { CostAggregate } from './cost-aggregate.js';
import type { CostMode, TierMode } from './cost-of-usage.js';
import { UsageLedger, type LedgerChange } from './usage-ledger.js';

/** Options of `createCostIndex`. */
export interface CostIndexOptions {
  /** Providers whose transcripts are indexed. */
  providers: readonly ProviderV1[];
  /** Environment the providers resolve their data dirs from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** IANA zone for day aggregates (default local). */
  timeZone?: string;
  /** Prices (default the bundled table). */
  priceTable?: PriceTable;
  /** Cost source (default `calculate`). */
  mode?: CostMode;
  /** 200k tier rule (default `per-bucket`). */
  tier?: TierMode;
  /** Maps a record to its agent, for agent aggregates. */
  agentOf?: (record: UsageRecord) => string | undefined;
  /** Stat polling period, ms (default 1000); also relists the roots to find new files. */
  pollMs?: number;
  /** Use `fs.watch` on the roots for fast updates (default true; polling always runs as the fallback). */
  watch?: boolean;
}

/** Payload of `cost-updated`. */
export interface CostUpdatedEvent {
  /** Aggregates of the sessions that changed (a removed session appears with zero records). */
  sessions: CostAggregate[];
  /** Aggregates of the agents that changed. */
  agents: CostAggregate[];
  /** Totals after the update. */
  totals: CostAggregate;
  /** Files read in this update. */
  files: string[];
}

/** Events of a cost index (eventemitter3). */
export interface CostIndexEvents {
  'cost-updated': (event: CostUpdatedEvent) => void;
  /** A file or root could not be read; the index keeps going. */
  'index-error': (error: unknown) => void;
}

/** Everything the index knows, at one moment. */
export interface CostSnapshot {
  totals: CostAggregate;
  sessions: CostAggregate[];
  agents: CostAggregate[];
  models: CostAggregate[];
  /** Files indexed and their bytes consumed. */
  files: number;
  bytes: number;
}

/** A live, incrementally updated cost index over the transcripts on disk. */
export interface CostIndex extends EventEmitter<CostIndexEvents>, AsyncDisposable {
  /** Resolves when the first full scan is done. */
  readonly ready: Promise<void>;
  /** The ledger (dedup and aggregates), for custom queries. */
  readonly ledger: UsageLedger;
  snapshot(): CostSnapshot;
  /** Relists the roots and reads every changed file now. */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

interface FileState {
  provider: ProviderV1;
  file: TranscriptFile;
  ino: number;
  size: number;
  mtimeMs: number;
  offset: number;
  reader: TranscriptReaderV1 | null;
  chain: Promise<void>;
}

class CostIndexImpl extends EventEmitter<CostIndexEvents> implements CostIndex {
  readonly ledger: UsageLedger;
  readonly ready: Promise<void>;
  private readonly files = new Map<string, FileState>();
  private readonly watchers: FSWatcher[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private listing: Promise<void> | null = null;

  constructor(private readonly o: CostIndexOptions) {
    super();
    this.ledger = new UsageLedger({ priceTable: o.priceTable, mode: o.mode, tier: o.tier, timeZone: o.timeZone, agentOf: o.agentOf });
    this.ready = this.relist().then(() => {
      if (this.closed) return;
      if (o.watch !== false) this.startWatching();
      this.timer = setInterval(() => void this.refresh().catch((e: unknown) => this.emit('index-error', e)), o.pollMs ?? 1000);
      this.timer.unref();
    });
  }

  snapshot(): CostSnapshot {
    let bytes = 0;
    for (const f of this.files.values()) bytes += f.offset;
    return {
      totals: this.ledger.totals(),
      sessions: this.ledger.aggregate('session'),
      agents: this.ledger.aggregate('agent'),
      models: this.ledger.aggregate('model'),
      files: this.files.size,
      bytes,
    };
  }

  async refresh(): Promise<void> {
    await this.relist();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    for (const w of this.watchers.splice(0)) w.close();
    await Promise.allSettled([...this.files.values()].map((f) => f.chain));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private env() {
    return { env: this.o.env ?? process.env };
  }

  /** Lists every provider's files; reads new and changed ones. Concurrent calls share one run. */
  private relist(): Promise<void> {
    if (this.listing) return this.listing;
    this.listing = (async () => {
      const seen: FileState[] = [];
      for (const provider of this.o.providers) {
        let list: TranscriptFile[];
        try {
          list = await provider.listTranscripts(this.env());
        } catch (error) {
          this.emit('index-error', error);
          continue;
        }
        for (const file of list) {
          let st = this.files.get(file.path);
          if (!st) {
            st = { provider, file, ino: -1, size: 0, mtimeMs: 0, offset: 0, reader: null, chain: Promise.resolve() };
            this.files.set(file.path, st);
          }
          seen.push(st);
        }
      }
      await this.update(seen);
    })().finally(() => {
      this.listing = null;
    });
    return this.listing;
  }

  /** Reads the given files (each one at a time) and emits one `cost-updated` for the batch. */
  private async update(states: readonly FileState[]): Promise<void> {
    const change: LedgerChange = { sessions: new Set(), agents: new Set() };
    const read: string[] = [];
    await Promise.all(
      states.map((st) => {
        st.chain = st.chain.then(async () => {
          if (this.closed) return;
          const c = await this.readFile(st).catch((error: unknown) => {
            this.emit('index-error', error);
            return null;
          });
          if (!c) return;
          read.push(st.file.path);
          for (const s of c.sessions) change.sessions.add(s);
          for (const a of c.agents) change.agents.add(a);
        });
        return st.chain;
      }),
    );
    if (this.closed || (change.sessions.size === 0 && change.agents.size === 0)) return;
    const emptyAgg = (by: 'session' | 'agent', key: string): CostAggregate => ({
      by, key, providers: [], models: [], usage: { input: 0, output: 0, cacheWrite5m: 0, cacheWrite1h: 0, cacheRead: 0, reasoning: 0, webSearchRequests: 0 },
      cost: { usd: 0, pricedUsd: 0, unpricedModels: [] }, records: 0, ...(by === 'session' ? { sessionId: key } : {}),
    });
    this.emit('cost-updated', {
      sessions: [...change.sessions].sort().map((k) => this.ledger.get('session', k) ?? emptyAgg('session', k)),
      agents: [...change.agents].sort().map((k) => this.ledger.get('agent', k) ?? emptyAgg('agent', k)),
      totals: this.ledger.totals(),
      files: read.sort(),
    });
  }

  /** Reads what is new in one file; re-reads from 0 (retracting its records) when it shrank or was replaced. */
  private async readFile(st: FileState): Promise<LedgerChange | null> {
    let info;
    try {
      info = await stat(st.file.path);
    } catch {
      if (st.offset === 0 && st.ino === -1) return null;
      this.files.delete(st.file.path); // gone: its usage stays retracted
      const c = this.ledger.removeSource(st.file.path);
      st.offset = 0;
      return c;
    }
    const sessions = new Set<string>();
    const agents = new Set<string>();
    const merge = (c: LedgerChange): void => {
      for (const s of c.sessions) sessions.add(s);
      for (const a of c.agents) agents.add(a);
    };
    const rewritten = st.ino !== -1 && info.size === st.offset && info.size === st.size && info.mtimeMs !== st.mtimeMs;
    if ((st.ino !== -1 && info.ino !== st.ino) || info.size < st.offset || rewritten) {
      merge(this.ledger.removeSource(st.file.path));
      st.offset = 0;
      st.reader = null;
    }
    st.ino = info.ino;
    st.size = info.size;
    st.mtimeMs = info.mtimeMs;
    if (info.size === st.offset) return sessions.size > 0 ? { sessions, agents } : null;
    let result: UsageScanResult;
    if (st.provider.scanUsage) {
      result = await st.provider.scanUsage(st.file, { fromOffset: st.offset });
    } else {
      st.reader ??= st.provider.openTranscript(st.file, st.offset);
      const d = await st.reader.read();
      result = { records: d.usage, retractedKeys: d.retractedKeys, skipped: d.skipped, bytes: d.nextOffset - d.fromOffset, nextOffset: d.nextOffset };
    }
    st.offset = result.nextOffset;
    merge(this.ledger.add(result.records, st.file.path, result.retractedKeys));
    return { sessions, agents };
  }

  private startWatching(): void {
    const roots = new Set(this.o.providers.flatMap((p) => p.transcriptRoots(this.env())));
    for (const root of roots) {
      try {
        const w = watch(root, { recursive: true, persistent: false }, (_event, name) => {
          if (this.closed) return;
          const path = name ? `${root}/${String(name)}` : undefined;
          const st = path === undefined ? undefined : this.files.get(path);
          if (st) void this.update([st]);
          else if (path === undefined || /\.jsonl?$/.test(path)) void this.relist();
        });
        w.on('error', () => w.close()); // polling still covers this root
        this.watchers.push(w);
      } catch {
        // root missing or watching unsupported: polling covers it
      }
    }
  }
}

/**
 * Starts a live cost index: lists the providers' transcripts, reads them (with `scanUsage` when the provider has
 * it, else one reader per file kept at its offset), then follows appends through `fs.watch` on the roots and a
 * stat poll every `pollMs` (which also finds new files). A file that shrinks, is replaced (new inode) or is
 * rewritten at the same size (new mtime) has its records retracted and is read again from 0. Emits `cost-updated` with the changed session and agent aggregates.
 * Close it (or `await using`) to stop watching.
 */
export function createCostIndex(options: CostIndexOptions): CostIndex {
  return new CostIndexImpl(options);
}
