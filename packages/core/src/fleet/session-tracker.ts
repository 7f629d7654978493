import { statSync } from 'node:fs';
import type { StatusEvidence } from '../spec/agent-status.js';
import type { ProviderV1, SessionCandidate } from '../spec/provider-v1.js';
import type { TranscriptFile, TranscriptReaderV1, TranscriptSignal, UsageRecord } from '../spec/transcript.js';
import type { Turn } from '../spec/turn.js';

/** Where a tracker's usage goes once the session belongs to an agent. */
export type UsageSink = (records: readonly UsageRecord[], source: string, retractedKeys: readonly string[]) => void;

/** A reader that failed; the tracker keeps going with its other files. */
export interface ReadFailure {
  /** The file. */
  path: string;
  /** The error. */
  error: unknown;
}

/**
 * Follows one session's transcript files (main + subagents) incrementally: session facts, turns, the latest
 * status signal, and usage records. Usage read before the session is attached to an agent is buffered, so a file
 * read for matching is never read twice.
 */
export class SessionTracker {
  readonly sessionId: string;
  readonly provider: ProviderV1;
  /** Id of the live agent holding this session, if any. */
  owner: string | undefined;
  /** The main transcript, once known. */
  main: TranscriptFile | undefined;
  /** Facts learned from the records. */
  readonly facts: { cwd?: string; models: string[]; startedAt?: string; lastActivityAt?: string } = { models: [] };
  /** Turns of the main file by index (updated in place as reads continue). */
  readonly turns = new Map<number, Turn>();
  /** Latest status signal of the main file. */
  lastSignal: TranscriptSignal | undefined;
  private readonly readers = new Map<string, TranscriptReaderV1>();
  /** `size:mtime` of each file after its last read: an unchanged file is not read again. */
  private readonly lastSeen = new Map<string, string>();
  private readonly ended = new Set<number>();
  private newlyEnded: Turn[] = [];
  private buffered: { records: UsageRecord[]; source: string; retracted: string[] }[] = [];
  private sink: UsageSink | undefined;

  constructor(sessionId: string, provider: ProviderV1) {
    this.sessionId = sessionId;
    this.provider = provider;
  }

  /** Paths followed. */
  get paths(): string[] {
    return [...this.readers.keys()];
  }

  /** Starts following a file of this session (no-op when already followed). */
  addFile(file: TranscriptFile): void {
    if (this.readers.has(file.path)) return;
    if (file.kind === 'main') this.main = file;
    this.readers.set(file.path, this.provider.openTranscript(file, 0));
  }

  /** Routes usage to `sink` from now on, flushing what was buffered. */
  attach(sink: UsageSink): void {
    this.sink = sink;
    for (const b of this.buffered) sink(b.records, b.source, b.retracted);
    this.buffered = [];
  }

  /** True once attached to an agent. */
  get attached(): boolean {
    return this.sink !== undefined;
  }

  /** Reads every followed file to its end; failures are returned, not thrown. */
  async read(): Promise<ReadFailure[]> {
    const failures: ReadFailure[] = [];
    for (const [path, reader] of this.readers) {
      let sig: string | undefined;
      try {
        const st = statSync(path);
        sig = `${st.size}:${st.mtimeMs}`;
      } catch {
        sig = undefined; // gone or unreadable: let the reader say why
      }
      if (sig !== undefined && this.lastSeen.get(path) === sig) continue;
      let delta;
      try {
        delta = await reader.read();
        if (sig !== undefined) this.lastSeen.set(path, sig);
      } catch (error) {
        failures.push({ path, error });
        continue;
      }
      const isMain = reader.file.kind === 'main';
      if (isMain) {
        const s = delta.session;
        if (s.cwd) this.facts.cwd = s.cwd;
        if (s.startedAt && (!this.facts.startedAt || s.startedAt < this.facts.startedAt)) this.facts.startedAt = s.startedAt;
        for (const m of s.models) if (!this.facts.models.includes(m)) this.facts.models.push(m);
        for (const turn of delta.turns) {
          this.turns.set(turn.index, turn);
          if (turn.endedAt && !this.ended.has(turn.index)) {
            this.ended.add(turn.index);
            this.newlyEnded.push(turn);
          }
        }
        const sig = delta.signals[delta.signals.length - 1];
        if (sig) this.lastSignal = sig;
      }
      const last = delta.session.lastActivityAt;
      if (last && (!this.facts.lastActivityAt || last > this.facts.lastActivityAt)) this.facts.lastActivityAt = last;
      if (delta.usage.length > 0 || delta.retractedKeys.length > 0) {
        if (this.sink) this.sink(delta.usage, path, delta.retractedKeys);
        else this.buffered.push({ records: delta.usage, source: path, retracted: delta.retractedKeys });
      }
    }
    return failures;
  }

  /** Turns that ended since the last call. */
  takeEndedTurns(): Turn[] {
    const out = this.newlyEnded;
    this.newlyEnded = [];
    return out;
  }

  /** The latest turn, if any. */
  lastTurn(): Turn | undefined {
    let best: Turn | undefined;
    for (const t of this.turns.values()) if (!best || t.index > best.index) best = t;
    return best;
  }

  /** The latest transcript signal as weak status evidence. */
  evidence(): StatusEvidence | undefined {
    const s = this.lastSignal;
    if (!s) return undefined;
    return { source: 'transcript', state: s.state, rule: s.rule, at: s.at, strength: 'weak', ...(s.detail ? { detail: s.detail } : {}) };
  }

  /** This session as a matching candidate (needs the main file). */
  candidate(): SessionCandidate | undefined {
    if (!this.main) return undefined;
    return {
      sessionId: this.sessionId,
      path: this.main.path,
      ...(this.facts.cwd ? { cwd: this.facts.cwd } : {}),
      ...(this.facts.startedAt ? { startedAt: this.facts.startedAt } : {}),
      ...(this.facts.lastActivityAt ? { lastActivityAt: this.facts.lastActivityAt } : {}),
    };
  }
}
