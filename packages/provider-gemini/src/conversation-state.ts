import { addUsage, emptyUsage, totalTokens, type ToolSpan, type Turn, type UsageRecord } from '@agentmux/core';
import type { DeltaBuilder } from './delta-builder.js';
import { cap } from './redact.js';
import { MAX_TURN_TEXT, messageSignature, toToolSpan, type CompactMessage } from './message-model.js';
import { GEMINI_PROVIDER_ID } from './paths.js';
import { signalFromMessage } from './status.js';

/** Facts about the file the state belongs to, read when usage and turns are built. */
export interface ConversationContext {
  /** Session id used in dedup keys and turns (the file's own session). */
  keySessionId(): string;
  /** Session the usage is billed to (the parent for subagent files). */
  billingSessionId(): string;
  /** The subagent's own id, for subagent files only. */
  sourceSessionId(): string | undefined;
  cwd(): string | undefined;
  /** Timestamp to use when a record has none. */
  fallbackTime(): string;
}

const PENDING_TOOL = new Set(['validating', 'scheduled', 'executing', 'awaiting_approval']);
/** An `info` message saying the request was cancelled ends the turn as aborted. */
const CANCELLED_RE = /cancel/i;

/**
 * The message list of one Gemini session as the CLI's own loader rebuilds it (last copy of an id wins in
 * place, `$rewindTo` truncates, `$set.messages` replaces), plus turn numbering and the usage already emitted,
 * so that each change yields only the usage, retractions, turns and signals it affects.
 */
export class ConversationState {
  private messages: CompactMessage[] = [];
  private readonly pos = new Map<string, number>();
  /** Turn index of each message position; -1 before the first user message. */
  private turnOf: number[] = [];
  /** Position of each turn's user message. */
  private turnStarts: number[] = [];
  /** Dedup key → signature of the usage last emitted for it. */
  private readonly emitted = new Map<string, string>();
  private readonly seenModels = new Set<string>();
  private latest: string | undefined;

  constructor(private readonly ctx: ConversationContext) {}

  /** ISO time of the latest message seen. */
  get lastMessageTime(): string | undefined {
    return this.latest;
  }

  /** First message timestamp, if any. */
  get firstMessageTime(): string | undefined {
    return this.messages[0]?.timestamp;
  }

  /** Upserts one message (a JSONL message line): a known id is replaced in place, a new id is appended. */
  upsert(m: CompactMessage, d: DeltaBuilder): void {
    this.noteTime(m.timestamp);
    this.noteModel(m, d);
    const p = this.pos.get(m.id);
    if (p === undefined) {
      // A new prompt closes an open previous turn: its `endedAt` becomes known.
      const prev = this.turnStarts.length - 1;
      if (m.type === 'user' && prev >= 0 && this.buildTurn(prev).endedAt === undefined) d.dirtyTurns.add(prev);
      const at = this.messages.length;
      this.messages.push(m);
      this.pos.set(m.id, at);
      this.reindexFrom(at);
      this.touch(at, d);
      this.syncUsage(at, d);
    } else {
      const old = this.messages[p];
      this.messages[p] = m;
      if (old && old.type !== m.type && (old.type === 'user' || m.type === 'user')) {
        const oldTurn = this.turnOf[p] ?? 0;
        this.reindexFrom(p);
        const firstTurn = Math.max(0, Math.min(oldTurn, this.turnOf[p] ?? 0));
        for (let t = firstTurn; t < this.turnStarts.length; t++) d.dirtyTurns.add(t);
        for (let i = p; i < this.messages.length; i++) this.syncUsage(i, d);
      } else {
        this.touch(p, d);
        this.syncUsage(p, d);
      }
    }
    const last = this.messages.length - 1;
    if (this.messages[last]?.id === m.id) this.signal(m, d);
  }

  /** `$rewindTo`: drops the message and all after it; an unknown id drops everything (as the CLI's loader does). */
  rewind(id: string, at: string | undefined, d: DeltaBuilder): void {
    const p = this.pos.get(id) ?? 0;
    if (p >= this.messages.length) return;
    for (let i = p; i < this.messages.length; i++) {
      const m = this.messages[i];
      if (!m) continue;
      this.pos.delete(m.id);
      this.retractMessage(m, d);
    }
    this.messages = this.messages.slice(0, p);
    this.turnOf = this.turnOf.slice(0, p);
    this.turnStarts = this.turnStarts.filter((s) => s < p);
    for (const t of [...d.dirtyTurns]) if (t >= this.turnStarts.length) d.dirtyTurns.delete(t);
    const lastTurn = this.turnOf[p - 1];
    if (lastTurn !== undefined && lastTurn >= 0) d.dirtyTurns.add(lastTurn);
    d.signal({ state: 'idle', rule: 'gemini.transcript.rewind', at: at ?? this.latest ?? this.ctx.fallbackTime() });
  }

  /** `$set.messages` checkpoint or a re-read legacy file: the list replaces the current one. */
  replaceAll(list: readonly CompactMessage[], d: DeltaBuilder): void {
    const dedup = new Map<string, CompactMessage>();
    for (const m of list) dedup.set(m.id, m);
    const next = [...dedup.values()];
    const old = this.messages;
    const keep = new Set(next.map((m) => m.id));
    for (const m of old) {
      if (!keep.has(m.id)) this.retractMessage(m, d);
    }
    const oldTurnOf = this.turnOf;
    const oldTurnCount = this.turnStarts.length;
    this.messages = next;
    this.pos.clear();
    next.forEach((m, i) => this.pos.set(m.id, i));
    this.turnOf = [];
    this.turnStarts = [];
    this.reindexFrom(0);
    const turnCount = this.turnStarts.length;
    const dirtyOld = (i: number): void => {
      const t = oldTurnOf[i];
      if (t !== undefined && t >= 0 && t < turnCount) d.dirtyTurns.add(t);
    };
    let firstDiff = -1;
    for (let i = 0; i < next.length; i++) {
      const m = next[i] as CompactMessage;
      this.noteTime(m.timestamp);
      this.noteModel(m, d);
      const before = old[i];
      // A message changed, moved, or now belongs to another turn: both its old and new turn changed.
      if (!before || oldTurnOf[i] !== this.turnOf[i] || messageSignature(before) !== messageSignature(m)) {
        if (firstDiff === -1) firstDiff = i;
        this.touch(i, d);
        dirtyOld(i);
      }
      this.syncUsage(i, d);
    }
    for (let i = next.length; i < old.length; i++) dirtyOld(i);
    for (const t of [...d.dirtyTurns]) if (t >= turnCount) d.dirtyTurns.delete(t);
    // With fewer turns, the new last turn may no longer be closed by a following prompt.
    if (turnCount < oldTurnCount && turnCount > 0) d.dirtyTurns.add(turnCount - 1);
    const last = next[next.length - 1];
    if (last && (firstDiff !== -1 || next.length !== old.length)) this.signal(last, d);
  }

  /** Drops everything (the file was replaced): every emitted key is retracted. */
  reset(d: DeltaBuilder): void {
    for (const key of this.emitted.keys()) d.retract(key);
    this.emitted.clear();
    this.messages = [];
    this.pos.clear();
    this.turnOf = [];
    this.turnStarts = [];
    d.dirtyTurns.clear();
  }

  /** Builds the turns marked dirty in `d`, in index order. */
  buildTurns(d: DeltaBuilder): Turn[] {
    return [...d.dirtyTurns]
      .filter((t) => t >= 0 && t < this.turnStarts.length)
      .sort((a, b) => a - b)
      .map((t) => this.buildTurn(t));
  }

  private buildTurn(t: number): Turn {
    const start = this.turnStarts[t] as number;
    const end = this.turnStarts[t + 1] ?? this.messages.length;
    const user = this.messages[start] as CompactMessage;
    const texts: string[] = [];
    const usage = emptyUsage();
    const tools: ToolSpan[] = [];
    let model: string | undefined;
    let lastTime = user.timestamp;
    let tail: CompactMessage | undefined;
    for (let i = start + 1; i < end; i++) {
      const m = this.messages[i] as CompactMessage;
      if (m.timestamp) lastTime = m.timestamp;
      if (m.type === 'gemini') {
        if (m.text) texts.push(m.text);
        if (m.tokens) addUsage(usage, m.tokens);
        if (m.model) model = m.model;
        for (const c of m.toolCalls) tools.push(toToolSpan(c));
      }
      if (m.type === 'gemini' || m.type === 'error' || (m.type === 'info' && CANCELLED_RE.test(m.text))) tail = m;
    }
    const aborted =
      (tail?.type === 'info') || (tail?.type === 'gemini' && tail.toolCalls.some((c) => c.status === 'cancelled'));
    const failed = tail?.type === 'error' || aborted;
    const finished =
      tail !== undefined &&
      (tail.type !== 'gemini' || tail.toolCalls.length === 0 || aborted) &&
      !tail.toolCalls.some((c) => PENDING_TOOL.has(c.status));
    const ended = t + 1 < this.turnStarts.length || finished;
    const turn: Turn = {
      index: t,
      sessionId: this.ctx.keySessionId(),
      startedAt: user.timestamp ?? this.ctx.fallbackTime(),
      userText: user.text,
      assistantText: cap(texts.join('\n'), MAX_TURN_TEXT),
      tools,
      usage,
    };
    if (ended) turn.endedAt = (finished ? tail?.timestamp : undefined) ?? lastTime ?? turn.startedAt;
    if (model) turn.model = model;
    if (failed) turn.failed = true;
    return turn;
  }

  private reindexFrom(p: number): void {
    while (this.turnStarts.length > 0 && (this.turnStarts[this.turnStarts.length - 1] as number) >= p) this.turnStarts.pop();
    let turn = p > 0 ? (this.turnOf[p - 1] ?? -1) : -1;
    for (let i = p; i < this.messages.length; i++) {
      if (this.messages[i]?.type === 'user') {
        turn += 1;
        this.turnStarts.push(i);
      }
      this.turnOf[i] = turn;
    }
    this.turnOf.length = this.messages.length;
  }

  private touch(p: number, d: DeltaBuilder): void {
    const t = this.turnOf[p];
    if (t !== undefined && t >= 0) d.dirtyTurns.add(t);
  }

  private key(m: CompactMessage): string {
    return `${this.ctx.keySessionId()}:${m.id}`;
  }

  private syncUsage(p: number, d: DeltaBuilder): void {
    const m = this.messages[p];
    if (!m) return;
    const key = this.key(m);
    if (m.type !== 'gemini') {
      this.retractMessage(m, d);
      return;
    }
    if (!m.tokens || totalTokens(m.tokens) === 0) return;
    const turnIndex = this.turnOf[p];
    const record: UsageRecord = {
      timestamp: m.timestamp ?? this.latest ?? this.ctx.fallbackTime(),
      sessionId: this.ctx.billingSessionId(),
      providerId: GEMINI_PROVIDER_ID,
      usage: { ...m.tokens },
      dedupKey: key,
      dedupPolicy: 'last-wins',
    };
    const source = this.ctx.sourceSessionId();
    if (source) record.sourceSessionId = source;
    if (m.model) record.model = m.model;
    const cwd = this.ctx.cwd();
    if (cwd) record.cwd = cwd;
    if (turnIndex !== undefined && turnIndex >= 0) record.turnIndex = turnIndex;
    const u = record.usage;
    const signature = `${u.input},${u.output},${u.cacheRead},${u.reasoning}|${record.model ?? ''}|${turnIndex ?? ''}|${record.timestamp}|${record.cwd ?? ''}|${record.sessionId}`;
    if (this.emitted.get(key) === signature) return;
    this.emitted.set(key, signature);
    d.emitUsage(key, record);
  }

  private retractMessage(m: CompactMessage, d: DeltaBuilder): void {
    const key = this.key(m);
    if (this.emitted.delete(key)) d.retract(key);
  }

  private signal(m: CompactMessage, d: DeltaBuilder): void {
    const s = signalFromMessage(m, m.timestamp ?? this.latest ?? this.ctx.fallbackTime());
    if (s) d.signal(s);
  }

  private noteModel(m: CompactMessage, d: DeltaBuilder): void {
    if (m.model && !this.seenModels.has(m.model)) {
      this.seenModels.add(m.model);
      d.models.push(m.model);
    }
  }

  private noteTime(ts: string | undefined): void {
    if (ts && (this.latest === undefined || Date.parse(ts) > Date.parse(this.latest))) this.latest = ts;
  }
}
