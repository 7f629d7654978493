import { realpathSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type {
  ProviderV1,
  ToolSpan,
  TranscriptFile,
  TranscriptReaderV1,
  TranscriptSignal,
  Turn,
} from '../spec/index.js';
import { totalTokens } from '../spec/index.js';

/** What the tracker needs to find and follow one agent's transcript. */
export interface TrackerTarget {
  provider: ProviderV1;
  /** Agent cwd (compared after realpath). */
  cwd: string;
  /** Environment for the provider's path lookups (HOME, CLAUDE_CONFIG_DIR, …). */
  env: Readonly<Record<string, string | undefined>>;
  /** Known session id, if any. */
  sessionId: string | null;
  /** Known transcript path, if any. */
  transcriptPath: string | null;
  /** Only files touched after this time are candidates when the session id is unknown. */
  since: Date;
  /** Paths already owned by other agents. */
  claimed: () => ReadonlySet<string>;
}

/** What one poll learned. */
export interface TrackerUpdate {
  /** The transcript was found during this poll. */
  located: TranscriptFile | null;
  /** Turns seen for the first time. */
  startedTurns: Turn[];
  /** Turns whose `endedAt` appeared in this poll. */
  endedTurns: Turn[];
  /** Tool calls seen for the first time. */
  newTools: ToolSpan[];
  /** True when the file grew. */
  grew: boolean;
}

const emptyUpdate = (): TrackerUpdate => ({ located: null, startedTurns: [], endedTurns: [], newTools: [], grew: false });

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Normalises text for comparing what was sent with what a transcript recorded. */
export function normaliseForMatch(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}

/** True when a transcript's user text is the sent text (or a truncated prefix of it). */
export function userTextMatches(recorded: string, sent: string): boolean {
  const a = normaliseForMatch(recorded);
  const b = normaliseForMatch(sent);
  if (a === b) return true;
  const stem = a.replace(/(…|\.\.\.)$/, '').trimEnd();
  return stem.length >= 200 && b.startsWith(stem);
}

/**
 * Finds the transcript an agent writes (by session id, or the newest file in its cwd that no other agent
 * owns) and follows it incrementally. Calls are serialised: a reader is never read concurrently.
 */
export class TranscriptTracker {
  file: TranscriptFile | null = null;
  readonly turns = new Map<number, Turn>();
  lastSignal: TranscriptSignal | null = null;
  /** ms time the file last grew. */
  lastGrowthAt = 0;
  /** Tokens of the latest usage record's prompt side (a context-size proxy). */
  contextTokens = 0;
  private reader: TranscriptReaderV1 | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly usageTotals = new Map<string, number>();
  private readonly tokenEvents: { at: number; tokens: number }[] = [];
  private readonly toolIds = new Set<string>();

  constructor(
    private target: TrackerTarget,
    /** Called after every poll that learned something (whoever polled). */
    private readonly onUpdate: (update: TrackerUpdate) => void = () => undefined,
  ) {}

  /** Session id of the located transcript, or the preset one. */
  get sessionId(): string | null {
    return this.file?.sessionId ?? this.target.sessionId;
  }

  /** Points the tracker at another session (after a fork); keeps nothing from the old one. */
  retarget(target: Partial<TrackerTarget>): void {
    this.target = { ...this.target, ...target };
    this.file = null;
    this.reader = null;
    this.turns.clear();
    this.lastSignal = null;
    this.toolIds.clear();
    this.usageTotals.clear();
  }

  /** Reads what is new (locating the file first if needed). */
  poll(): Promise<TrackerUpdate> {
    const run = this.chain.then(async () => {
      const update = await this.pollNow();
      if (update.located || update.grew || update.startedTurns.length > 0 || update.endedTurns.length > 0) this.onUpdate(update);
      return update;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Tokens billed in the last `windowMs` (by arrival time). */
  tokensInWindow(windowMs = 60_000, now = Date.now()): number {
    while (this.tokenEvents.length > 0 && (this.tokenEvents[0]?.at ?? 0) < now - windowMs) this.tokenEvents.shift();
    return this.tokenEvents.reduce((sum, e) => sum + e.tokens, 0);
  }

  /** The highest turn index seen, or -1. */
  get lastTurnIndex(): number {
    return this.turns.size === 0 ? -1 : Math.max(...this.turns.keys());
  }

  /** The first turn at or after `fromIndex` whose user text matches `text`. */
  findTurn(text: string, fromIndex: number): Turn | undefined {
    for (const turn of [...this.turns.values()].sort((a, b) => a.index - b.index)) {
      if (turn.index >= fromIndex && userTextMatches(turn.userText, text)) return turn;
    }
    return undefined;
  }

  /** True when any turn of the session holds `text` as its prompt. */
  hasUserText(text: string): boolean {
    return this.findTurn(text, 0) !== undefined;
  }

  private async locate(): Promise<{ file: TranscriptFile; reader: TranscriptReaderV1 } | null> {
    const { provider, env, sessionId, transcriptPath } = this.target;
    if (transcriptPath) {
      const info = await stat(transcriptPath).catch(() => null);
      if (!info) return null;
      const file: TranscriptFile = { path: transcriptPath, providerId: provider.id, sessionId: sessionId ?? '', kind: 'main' };
      return { file, reader: provider.openTranscript(file) };
    }
    const claimed = this.target.claimed();
    const listed = await provider.listTranscripts(sessionId ? { env } : { env, since: new Date(this.target.since.getTime() - 2000) });
    const mains = listed.filter((f) => f.kind === 'main' && !claimed.has(f.path));
    if (sessionId) {
      const file = mains.find((f) => f.sessionId === sessionId);
      return file ? { file, reader: provider.openTranscript(file) } : null;
    }
    const cwd = real(this.target.cwd);
    const candidates = mains
      .filter((f) => !f.mtime || Date.parse(f.mtime) >= this.target.since.getTime() - 2000)
      .sort((a, b) => (b.mtime ?? '').localeCompare(a.mtime ?? ''));
    for (const file of candidates) {
      const reader = provider.openTranscript(file);
      const delta = await reader.read();
      if (delta.session.cwd !== undefined && real(delta.session.cwd) !== cwd) continue;
      // Re-open so the normal read path sees the whole file (the probe read consumed it).
      return { file: { ...file, sessionId: delta.session.id ?? file.sessionId }, reader: provider.openTranscript(file) };
    }
    return null;
  }

  private async pollNow(): Promise<TrackerUpdate> {
    const update = emptyUpdate();
    if (!this.reader) {
      const found = await this.locate();
      if (!found) return update;
      this.file = found.file;
      this.reader = found.reader;
      update.located = found.file;
    }
    const delta = await this.reader.read();
    if (delta.nextOffset === delta.fromOffset && delta.turns.length === 0) return update;
    update.grew = delta.nextOffset > delta.fromOffset;
    if (update.grew) this.lastGrowthAt = Date.now();
    if (this.file && !this.file.sessionId && delta.session.id) this.file = { ...this.file, sessionId: delta.session.id };
    for (const turn of delta.turns) {
      const previous = this.turns.get(turn.index);
      this.turns.set(turn.index, turn);
      if (!previous) update.startedTurns.push(turn);
      if (turn.endedAt && !previous?.endedAt) update.endedTurns.push(turn);
      for (const tool of turn.tools) {
        if (this.toolIds.has(tool.id)) continue;
        this.toolIds.add(tool.id);
        update.newTools.push(tool);
      }
    }
    const now = Date.now();
    for (const record of delta.usage) {
      const total = totalTokens(record.usage);
      if (!record.isSidechain) this.contextTokens = record.usage.input + record.usage.cacheRead + record.usage.cacheWrite5m + record.usage.cacheWrite1h;
      if (record.dedupKey) {
        const before = this.usageTotals.get(record.dedupKey) ?? 0;
        if (total <= before) continue;
        this.usageTotals.set(record.dedupKey, total);
        this.tokenEvents.push({ at: now, tokens: total - before });
      } else {
        this.tokenEvents.push({ at: now, tokens: total });
      }
    }
    const signal = delta.signals[delta.signals.length - 1];
    if (signal) this.lastSignal = signal;
    return update;
  }
}
