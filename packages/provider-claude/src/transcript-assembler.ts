import {
  addUsage,
  type AgentState,
  type ToolSpan,
  type TranscriptDelta,
  type TranscriptFile,
  type TranscriptSignal,
  type Turn,
  type UsageRecord,
} from '@agentmux/core';
import type {
  ClaudeAssistantLine,
  ClaudeQueueOperationLine,
  ClaudeSystemLine,
  ClaudeUserLine,
} from './schema.js';
import { ClaudeToolUseBlockSchema } from './schema.js';
import { redactSecrets, summarizeToolInput, toolResultText, truncateText } from './tool-summary.js';
import { appendCapped, type ResponseUsage, TurnState } from './turn-state.js';
import { normalizeClaudeUsage } from './usage-normalize.js';
import { classifyPrompt, promptText, readUserContent } from './user-content.js';

/** Model name Claude Code writes on messages it made up itself (errors, interruptions). */
export const SYNTHETIC_MODEL = '<synthetic>';

/** A compaction noted from a `compact_boundary` line. */
export interface ClaudeCompaction {
  at: string;
  trigger: string;
  preTokens?: number;
}

const ERROR_TEXT = /context_window_exceeded|overloaded_error/;
const IDLE_STOP_REASONS = new Set(['end_turn', 'stop_sequence', 'refusal']);

/** The later of two ISO times; same-shape UTC strings compare as text (fast path), others through Date.parse. */
function laterOf(a: string | undefined, b: string): string {
  if (a === undefined) return b;
  if (a.length === b.length && a.endsWith('Z') && b.endsWith('Z')) return b > a ? b : a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/**
 * Turns Claude transcript lines (already parsed and validated) into the core model. Holds every piece of state
 * that spans reads: open turns, tool spans by id, deduplicated responses by key, seen line uuids and session facts.
 * `drain()` hands out what was learned since the previous drain.
 */
export class ClaudeTranscriptAssembler {
  readonly file: TranscriptFile;
  readonly compactions: ClaudeCompaction[] = [];
  private readonly sessionId: string;
  private parentSessionId: string | undefined;
  private cwd: string | undefined;
  private readonly models: string[] = [];
  private startedAt: string | undefined;
  private lastActivityAt: string | undefined;
  private readonly turns: TurnState[] = [];
  private current: TurnState | undefined;
  private readonly spans = new Map<string, { turn: TurnState; span: ToolSpan }>();
  private readonly responses = new Map<string, ResponseUsage>();
  private readonly seenUuids = new Set<string>();
  private dirty = new Set<TurnState>();
  private usage: UsageRecord[] = [];
  private signals: TranscriptSignal[] = [];
  private skipped: Record<string, number> = {};
  private unknownTypes: Record<string, number> = {};

  constructor(file: TranscriptFile) {
    this.file = file;
    this.sessionId = file.sessionId;
    this.parentSessionId = file.kind === 'subagent' ? file.parentSessionId : undefined;
  }

  /** Session usage is billed to: a subagent's parent (from the path, else from its records), else the file's own. */
  private get billingSessionId(): string {
    return this.file.kind === 'subagent' ? (this.parentSessionId ?? this.sessionId) : this.sessionId;
  }

  /** Counts a skipped line (or part of one) under `reason`. */
  skip(reason: string): void {
    bump(this.skipped, reason);
  }

  /** Counts a record type the parser does not understand. */
  unknownType(type: string): void {
    bump(this.unknownTypes, type.slice(0, 64));
  }

  /** Hands out the session facts (cumulative) and the turns, usage, signals and counts since the last drain. */
  drain(): Omit<TranscriptDelta, 'fromOffset' | 'nextOffset'> {
    const session: TranscriptDelta['session'] = { id: this.sessionId, models: [...this.models] };
    if (this.cwd !== undefined) session.cwd = this.cwd;
    if (this.startedAt !== undefined) session.startedAt = this.startedAt;
    if (this.lastActivityAt !== undefined) session.lastActivityAt = this.lastActivityAt;
    if (this.parentSessionId !== undefined) session.parentSessionId = this.parentSessionId;
    const turns: Turn[] = [...this.dirty].sort((a, b) => a.index - b.index).map((t) => t.snapshot(this.responses));
    const out = {
      session,
      turns,
      usage: this.usage,
      retractedKeys: [],
      signals: this.signals,
      skipped: this.skipped,
      unknownTypes: this.unknownTypes,
    };
    this.dirty = new Set();
    this.usage = [];
    this.signals = [];
    this.skipped = {};
    this.unknownTypes = {};
    return out;
  }

  /** Skips a line whose uuid was already handled (an exact duplicate); returns true when it is one. */
  private isDuplicate(uuid: string | null | undefined): boolean {
    if (!uuid) return false;
    if (this.seenUuids.has(uuid)) {
      this.skip('duplicate-uuid');
      return true;
    }
    this.seenUuids.add(uuid);
    return false;
  }

  private touch(line: { timestamp?: string | null; cwd?: string | null; sessionId?: string | null }): void {
    if (line.timestamp) {
      this.startedAt ??= line.timestamp;
      this.lastActivityAt = laterOf(this.lastActivityAt, line.timestamp);
    }
    if (line.cwd && this.cwd === undefined) this.cwd = line.cwd;
    if (line.sessionId && this.parentSessionId === undefined && this.file.kind === 'subagent') {
      this.parentSessionId = line.sessionId;
    }
  }

  /** Main flow: every line of a subagent file; the non-sidechain lines of a main file. */
  private isMainFlow(isSidechain: boolean | null | undefined): boolean {
    return this.file.kind === 'subagent' || isSidechain !== true;
  }

  private signal(state: AgentState, rule: string, at: string | null | undefined, detail?: string): void {
    const time = at ?? this.lastActivityAt;
    if (time === undefined) return;
    const sig: TranscriptSignal = { state, rule, at: time };
    if (detail) sig.detail = truncateText(redactSecrets(detail), 120);
    this.signals.push(sig);
  }

  private markDirty(turn: TurnState, at: string): void {
    turn.lastAt = laterOf(turn.lastAt, at);
    this.dirty.add(turn);
  }

  private startTurn(at: string, userText: string): TurnState {
    const previous = this.current;
    if (previous && previous.endedAt === undefined) {
      previous.endedAt = previous.lastAt;
      this.dirty.add(previous);
    }
    const turn = new TurnState(this.turns.length, this.sessionId, at, userText);
    this.turns.push(turn);
    this.current = turn;
    this.dirty.add(turn);
    return turn;
  }

  /** A `user` line: a prompt starts a turn; tool results close tool spans. */
  handleUser(line: ClaudeUserLine): void {
    if (this.isDuplicate(line.uuid)) return;
    this.touch(line);
    const main = this.isMainFlow(line.isSidechain);
    const content = readUserContent(line.message.content);
    for (let i = 0; i < content.invalidBlocks; i += 1) this.skip('invalid-content-block');
    for (const result of content.toolResults) {
      const entry = this.spans.get(result.toolUseId);
      if (entry && entry.span.outcome === 'pending') {
        entry.span.endedAt = line.timestamp;
        entry.span.outcome = result.isError ? 'error' : 'ok';
        if (result.isError) entry.span.errorMessage = toolResultText(result.content);
        this.markDirty(entry.turn, line.timestamp);
      }
      if (main) this.signal('working', 'claude.transcript.tool_result', line.timestamp, entry?.span.name);
    }
    if (!main || content.toolResults.length > 0 || line.isMeta || line.isCompactSummary) {
      if (main && this.current) this.markDirty(this.current, line.timestamp);
      return;
    }
    const kind = classifyPrompt(content.text);
    if (kind === 'interrupt') {
      if (this.current) {
        this.current.endedAt = line.timestamp;
        this.current.failed = true;
        this.markDirty(this.current, line.timestamp);
      }
      this.signal('idle', 'claude.transcript.interrupted', line.timestamp);
      return;
    }
    if (kind !== 'prompt') return;
    this.startTurn(line.timestamp, promptText(content.text));
    this.signal('working', 'claude.transcript.user-prompt', line.timestamp);
  }

  /** An `assistant` line: content merged into the turn, usage recorded, status read from the stop reason. */
  handleAssistant(line: ClaudeAssistantLine): void {
    if (this.isDuplicate(line.uuid)) return;
    this.touch(line);
    const main = this.isMainFlow(line.isSidechain);
    const msg = line.message;
    const model = msg.model && msg.model !== SYNTHETIC_MODEL ? msg.model : undefined;
    if (model && !this.models.includes(model)) this.models.push(model);
    const turn = main ? (this.current ?? this.startTurn(line.timestamp, '')) : this.current;
    const texts: string[] = [];
    const toolNames: string[] = [];
    const blocks = typeof msg.content === 'string' ? [{ type: 'text', text: msg.content }] : (msg.content ?? []);
    for (const block of blocks) {
      if (block.type === 'text') {
        const text = (block as { text?: unknown }).text;
        if (typeof text === 'string') texts.push(text);
        else this.skip('invalid-content-block');
      } else if (block.type === 'tool_use') {
        const parsed = ClaudeToolUseBlockSchema.safeParse(block);
        if (!parsed.success) {
          this.skip('invalid-content-block');
          continue;
        }
        toolNames.push(parsed.data.name);
        if (!main || !turn || this.spans.has(parsed.data.id)) continue;
        const span: ToolSpan = {
          id: parsed.data.id,
          name: parsed.data.name,
          inputSummary: summarizeToolInput(parsed.data.name, parsed.data.input),
          startedAt: line.timestamp,
          outcome: 'pending',
        };
        turn.tools.push(span);
        this.spans.set(span.id, { turn, span });
      }
    }
    const joined = texts.join('\n');
    const synthetic = msg.model === SYNTHETIC_MODEL;
    const isError =
      line.isApiErrorMessage === true ||
      msg.stop_reason === 'model_context_window_exceeded' ||
      ((synthetic || joined.startsWith('API Error')) && (ERROR_TEXT.test(joined) || joined.startsWith('API Error')));
    if (main && turn) {
      // New model output reopens an ended turn (e.g. a Stop hook made it go on); synthetic lines never do.
      if (turn.endedAt !== undefined && !isError && !synthetic) turn.endedAt = undefined;
      for (const text of texts) turn.assistantText = appendCapped(turn.assistantText, text);
      if (model) turn.model = model;
      if (isError) {
        turn.failed = true;
        turn.endedAt = line.timestamp;
      } else if (turn.failed && !synthetic) turn.failed = false;
      if (!isError && msg.stop_reason && IDLE_STOP_REASONS.has(msg.stop_reason) && toolNames.length === 0) {
        if (!synthetic || turn.endedAt === undefined) turn.endedAt = line.timestamp;
      }
      this.markDirty(turn, line.timestamp);
    }
    this.recordUsage(line, model, turn);
    if (!main) return;
    if (isError) this.signal('error', 'claude.transcript.api-error', line.timestamp, joined);
    else if (toolNames.length > 0) this.signal('working', 'claude.transcript.tool_use', line.timestamp, toolNames.join(', '));
    else if (msg.stop_reason && IDLE_STOP_REASONS.has(msg.stop_reason)) {
      this.signal('idle', `claude.transcript.${msg.stop_reason}`, line.timestamp);
    } else this.signal('working', 'claude.transcript.assistant', line.timestamp);
  }

  private recordUsage(line: ClaudeAssistantLine, model: string | undefined, turn: TurnState | undefined): void {
    const raw = line.message.usage;
    if (raw === undefined || raw === null) return;
    const norm = normalizeClaudeUsage(raw);
    if (!norm) {
      this.skip('invalid-usage');
      return;
    }
    if (norm.total === 0 && norm.usage.webSearchRequests === 0) return;
    const id = line.message.id;
    const key = id ? (line.requestId ? `${id}:${line.requestId}` : id) : undefined;
    const sidechain = line.isSidechain === true;
    const record: UsageRecord = {
      timestamp: line.timestamp,
      sessionId: this.billingSessionId,
      providerId: 'claude',
      usage: norm.usage,
      isSidechain: sidechain,
      fast: norm.fast,
    };
    if (this.file.kind === 'subagent') record.sourceSessionId = this.sessionId;
    if (line.message.model) record.model = line.message.model;
    const cwd = line.cwd ?? this.cwd;
    if (cwd) record.cwd = cwd;
    if (key) {
      record.dedupKey = key;
      record.dedupPolicy = 'max-total';
    }
    if (typeof line.costUSD === 'number') record.costUSD = line.costUSD;
    if (turn) record.turnIndex = turn.index;
    this.usage.push(record);
    if (!key) {
      if (turn) {
        addUsage(turn.unkeyedUsage, norm.usage);
        this.dirty.add(turn);
      }
      return;
    }
    const existing = this.responses.get(key);
    if (!existing) {
      this.responses.set(key, { turnIndex: turn?.index, usage: norm.usage, total: norm.total, sidechain });
      turn?.responseKeys.add(key);
      if (turn) this.dirty.add(turn);
      return;
    }
    // A sidechain replay of a main-chain response never wins; a main-chain line beats a sidechain one.
    if (existing.sidechain === sidechain ? norm.total > existing.total : !sidechain) {
      existing.usage = norm.usage;
      existing.total = norm.total;
      existing.sidechain = sidechain;
      const owner = existing.turnIndex === undefined ? undefined : this.turns[existing.turnIndex];
      if (owner) this.dirty.add(owner);
      else if (turn) {
        existing.turnIndex = turn.index;
        turn.responseKeys.add(key);
        this.dirty.add(turn);
      }
    }
  }

  /** A `system` line: turn end, compaction, errors. */
  handleSystem(line: ClaudeSystemLine): void {
    if (this.isDuplicate(line.uuid)) return;
    this.touch(line);
    if (!this.isMainFlow(line.isSidechain)) return;
    const at = line.timestamp ?? this.lastActivityAt;
    const text = typeof line.content === 'string' ? line.content : '';
    switch (line.subtype) {
      case 'turn_duration':
        if (this.current && at) {
          this.current.endedAt = laterOf(this.current.endedAt, at);
          this.markDirty(this.current, at);
        }
        this.signal('idle', 'claude.transcript.turn_duration', at);
        return;
      case 'compact_boundary': {
        const trigger = line.compactMetadata?.trigger ?? 'unknown';
        const preTokens = line.compactMetadata?.preTokens ?? undefined;
        if (at) this.compactions.push(preTokens === undefined ? { at, trigger } : { at, trigger, preTokens });
        const detail = `compaction (${trigger})${preTokens === undefined ? '' : `, ${preTokens} tokens before`}`;
        this.signal(trigger === 'manual' ? 'idle' : 'working', 'claude.transcript.compact_boundary', at, detail);
        return;
      }
      case 'error':
      case 'api_error':
        if (this.current && at) {
          this.current.failed = true;
          this.markDirty(this.current, at);
        }
        this.signal('error', `claude.transcript.system-${line.subtype}`, at, text);
        return;
      default:
        if (ERROR_TEXT.test(text)) this.signal('error', 'claude.transcript.system-error-text', at, text);
    }
  }

  /** A `queue-operation` line: `enqueue` means a prompt waits while the agent works. */
  handleQueueOperation(line: ClaudeQueueOperationLine): void {
    this.touch(line);
    if (line.operation === 'enqueue') this.signal('working', 'claude.transcript.queued-prompt', line.timestamp, 'queued prompt');
  }

  /** Any other known line: only its timestamp counts as activity. */
  handleOther(line: { timestamp?: unknown }): void {
    if (typeof line.timestamp === 'string' && !Number.isNaN(Date.parse(line.timestamp))) {
      this.touch({ timestamp: line.timestamp });
    }
  }
}
