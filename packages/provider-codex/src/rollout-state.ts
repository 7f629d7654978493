import type { TranscriptDelta, TranscriptFile, TranscriptSignal, UsageRecord } from '@agentmux/core';
import { CODEX_PROVIDER_ID, sessionMetaFacts } from './paths.js';
import {
  CodexCompactedPayloadSchema,
  CodexEventMsgPayloadSchema,
  CodexResponseItemPayloadSchema,
  CodexSessionMetaPayloadSchema,
  CodexTurnContextPayloadSchema,
  type CodexEventMsgPayload,
  type CodexResponseItemPayload,
} from './schema.js';
import { codexTranscriptSignal, type CodexTranscriptRule } from './status.js';
import { CodexTokenTracker } from './token-usage.js';
import { shorten, summarizeToolInput, toolOutputError } from './tool-summary.js';
import { TurnBuilder } from './turn-builder.js';

/** event_msg types that are understood and deliberately produce nothing. */
const QUIET_EVENTS = new Set([
  'agent_reasoning_raw_content', 'agent_reasoning_section_break', 'context_compacted', 'entered_review_mode',
  'exited_review_mode', 'undo_started', 'undo_completed', 'turn_diff', 'plan_update', 'web_search_begin',
  'web_search_end', 'mcp_tool_call_begin', 'mcp_tool_call_end', 'exec_command_begin', 'exec_command_output_delta',
  'patch_apply_begin', 'background_event', 'warning', 'deprecation_notice', 'stream_error', 'session_configured',
  'mcp_startup_update', 'mcp_startup_complete', 'item_started', 'item_completed', 'view_image_tool_call',
  'shutdown_complete', 'agent_message_delta', 'agent_reasoning_delta', 'raw_response_item', 'thread_rolled_back',
  'terminal_interaction', 'collab_agent_spawn_begin', 'collab_agent_spawn_end', 'collab_agent_interaction_begin',
  'collab_agent_interaction_end', 'collab_waiting_begin', 'collab_waiting_end', 'ext',
]);
/** event_msg types that ask the user for a decision. */
const APPROVAL_EVENTS = new Set<string>([
  'exec_approval_request', 'apply_patch_approval_request', 'elicitation_request', 'request_permissions',
  'request_user_input', 'ask_user_question_request',
] satisfies CodexTranscriptRule[]);
/** response_item types that are understood and produce nothing. */
const QUIET_ITEMS = new Set(['reasoning', 'compaction', 'compaction_summary', 'ghost_snapshot', 'other', 'image_generation_call']);

type Json = Record<string, unknown>;

/** A `user_message` that carries injected context (AGENTS.md instructions, environment) rather than a prompt. */
function isInjectedContext(ev: CodexEventMsgPayload): boolean {
  const kind = (ev as Json).kind;
  if (typeof kind === 'string' && kind !== 'plain') return true;
  const text = (ev.message ?? '').trimStart();
  return text.startsWith('<environment_context>') || text.startsWith('<user_instructions>');
}

/**
 * The interpretation state of one rollout, fed record by record. Persists across incremental reads:
 * session facts, turn assembly, token totals, open tool calls, replay detection.
 */
export class RolloutState {
  private sessionId: string;
  private parentSessionId: string | undefined;
  private cwd: string | undefined;
  private currentCwd: string | undefined;
  private readonly models: string[] = [];
  private currentModel: string | undefined;
  private startedAt: string | undefined;
  private lastActivityAt: string | undefined;
  private lastActivityMs = -Infinity;
  private sawMeta = false;
  /** Subagent or forked rollout: the parent's history may be replayed at the start. */
  private replayCandidate = false;
  /** Still inside the leading replay window (only when reading from the file start). */
  private replayPhase: boolean;
  private firstSecond: string | undefined;
  private sessionStartMs = Number.NaN;
  private readonly tokens = new CodexTokenTracker();
  private readonly turns: TurnBuilder;
  /** Within the current model response (between token_count events). */
  private responseHadMessage = false;
  private responseHadToolCall = false;
  private webSearchCount = 0;

  private usage: UsageRecord[] = [];
  private signals: TranscriptSignal[] = [];
  private skipped: Record<string, number> = {};
  private unknownTypes: Record<string, number> = {};

  constructor(private readonly file: TranscriptFile, fromStart: boolean) {
    this.sessionId = file.sessionId;
    this.parentSessionId = file.parentSessionId;
    this.replayCandidate = file.kind === 'subagent';
    this.replayPhase = fromStart;
    this.turns = new TurnBuilder(file.sessionId);
  }

  /** Counts a skipped line or event by reason. */
  skip(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }

  private unknown(type: string): void {
    this.unknownTypes[type] = (this.unknownTypes[type] ?? 0) + 1;
  }

  private signal(rule: CodexTranscriptRule, at: string, detail?: string): void {
    this.signals.push(codexTranscriptSignal(rule, at, detail));
  }

  /** Handles one parsed JSON line. */
  handle(rec: Json): void {
    const ts = rec.timestamp;
    const type = rec.type;
    if (typeof type !== 'string') return this.skip('invalid-record');
    if (typeof ts !== 'string' || Number.isNaN(Date.parse(ts))) return this.skip('missing-timestamp');
    switch (type) {
      case 'session_meta':
        return this.onSessionMeta(ts, rec.payload);
      case 'turn_context':
        return this.onTurnContext(ts, rec.payload);
      case 'event_msg':
        return this.onEvent(ts, rec.payload);
      case 'response_item':
        return this.onResponseItem(ts, rec.payload);
      case 'compacted':
        if (!CodexCompactedPayloadSchema.safeParse(rec.payload).success) return this.skip('invalid-record');
        return this.touch(ts);
      default:
        this.skip('unknown-type');
        this.unknown(type);
        return;
    }
  }

  private touch(ts: string): void {
    if (this.firstSecond === undefined) this.firstSecond = ts.slice(0, 19);
    const ms = Date.parse(ts);
    if (ms >= this.lastActivityMs) {
      this.lastActivityMs = ms;
      this.lastActivityAt = ts;
    }
    this.startedAt ??= ts;
  }

  private onSessionMeta(ts: string, payload: unknown): void {
    const parsed = CodexSessionMetaPayloadSchema.safeParse(payload);
    if (!parsed.success) return this.skip('invalid-record');
    this.touch(ts);
    // Only the first session_meta is this thread's; later ones are copies from a replayed parent.
    if (this.sawMeta) return;
    this.sawMeta = true;
    const meta = parsed.data;
    const facts = sessionMetaFacts(meta);
    if (facts.id) {
      this.sessionId = facts.id;
      this.turns.setSessionId(facts.id);
    }
    if (facts.parentSessionId) this.parentSessionId = facts.parentSessionId;
    this.replayCandidate = facts.subagent || facts.forkedFromId !== undefined;
    if (meta.cwd) {
      this.cwd = meta.cwd;
      this.currentCwd ??= meta.cwd;
    }
    if (meta.timestamp && !Number.isNaN(Date.parse(meta.timestamp))) {
      this.startedAt = meta.timestamp;
      this.sessionStartMs = Date.parse(meta.timestamp);
    } else {
      this.sessionStartMs = Date.parse(ts);
    }
  }

  private onTurnContext(ts: string, payload: unknown): void {
    const parsed = CodexTurnContextPayloadSchema.safeParse(payload);
    if (!parsed.success) return this.skip('invalid-record');
    this.touch(ts);
    const { model, cwd } = parsed.data;
    if (cwd) {
      this.currentCwd = cwd;
      this.cwd ??= cwd;
    }
    if (model) {
      this.currentModel = model;
      if (!this.models.includes(model)) this.models.push(model);
      if (this.turns.open) this.turns.setModel(model);
    }
  }

  private onEvent(ts: string, payload: unknown): void {
    const parsed = CodexEventMsgPayloadSchema.safeParse(payload);
    if (!parsed.success) return this.skip('invalid-record');
    this.touch(ts);
    const ev = parsed.data;
    switch (ev.type) {
      case 'user_message':
        // Versions 0.3x also wrote injected context as user_message events (`kind` other than `plain`).
        if (isInjectedContext(ev)) return;
        this.responseHadMessage = false;
        this.responseHadToolCall = false;
        this.turns.startTurn(ts, ev.message ?? '', this.currentModel);
        return this.signal('user_message', ts);
      case 'agent_message':
        if (!ev.message) return;
        this.responseHadMessage = true;
        return this.turns.addAssistantText(ts, ev.message, 'event');
      case 'agent_reasoning':
        return this.signal('reasoning', ts);
      case 'token_count':
        return this.onTokenCount(ts, ev);
      case 'task_started':
      case 'turn_started':
        return this.signal('task_started', ts);
      case 'task_complete':
      case 'turn_complete':
        this.turns.endTurn(ts, ev.last_agent_message ? { lastAgentMessage: ev.last_agent_message } : {});
        this.responseHadMessage = false;
        this.responseHadToolCall = false;
        return this.signal('task_complete', ts);
      case 'turn_aborted': {
        const reason = `aborted${ev.reason ? ` (${ev.reason})` : ''}`;
        this.turns.endTurn(ts, { failed: true, reason });
        return this.signal('turn_aborted', ts, ev.reason ?? undefined);
      }
      case 'error':
        this.turns.markFailed();
        return this.signal('error', ts, ev.message ?? undefined);
      case 'exec_command_end':
        return this.onExecEnd(ev);
      case 'patch_apply_end':
        if (ev.call_id && (ev as Json).success === false) this.turns.failTool(ev.call_id, shorten(String((ev as Json).stderr ?? 'patch failed'), 300));
        return;
      default:
        if (APPROVAL_EVENTS.has(ev.type)) return this.signal(ev.type as CodexTranscriptRule, ts);
        if (!QUIET_EVENTS.has(ev.type)) this.unknown(`event_msg/${ev.type}`);
    }
  }

  private onExecEnd(ev: CodexEventMsgPayload): void {
    const code = (ev as Json).exit_code;
    if (!ev.call_id || typeof code !== 'number' || code === 0) return;
    const stderr = (ev as Json).stderr;
    this.turns.failTool(ev.call_id, shorten(`exit code ${code}${typeof stderr === 'string' && stderr ? `: ${stderr}` : ''}`, 300));
  }

  private isReplay(ts: string): boolean {
    if (!this.replayPhase || !this.replayCandidate) return false;
    const replay = ts.slice(0, 19) === this.firstSecond || Date.parse(ts) < this.sessionStartMs;
    if (!replay) this.replayPhase = false;
    return replay;
  }

  private onTokenCount(ts: string, ev: CodexEventMsgPayload): void {
    const replay = this.isReplay(ts);
    const result = this.tokens.accept(ev.info, ts, this.currentModel, replay);
    if ('skip' in result) {
      this.skip(result.skip);
    } else {
      const turnIndex = this.turns.addUsage(ts, result.usage, this.currentModel);
      const billed = this.parentSessionId ?? this.sessionId;
      const cwd = this.currentCwd ?? this.cwd;
      this.usage.push({
        timestamp: ts,
        sessionId: billed,
        ...(this.parentSessionId ? { sourceSessionId: this.sessionId } : {}),
        providerId: CODEX_PROVIDER_ID,
        ...(this.currentModel ? { model: this.currentModel } : {}),
        ...(cwd ? { cwd } : {}),
        usage: result.usage,
        turnIndex,
      });
    }
    // End of a model response: a final answer (message, no tool call, nothing pending) ends the turn.
    if (this.turns.open && this.responseHadMessage && !this.responseHadToolCall && this.turns.pendingTools === 0) {
      this.turns.endTurn(ts);
      this.signal('turn_end', ts);
    }
    this.responseHadMessage = false;
    this.responseHadToolCall = false;
  }

  private onResponseItem(ts: string, payload: unknown): void {
    const parsed = CodexResponseItemPayloadSchema.safeParse(payload);
    if (!parsed.success) return this.skip('invalid-record');
    this.touch(ts);
    const item = parsed.data;
    switch (item.type) {
      case 'message': {
        if (item.role !== 'assistant') return; // user/developer items are prompts and injected context
        const content = item.content ?? [];
        const text = typeof content === 'string' ? content : content.map((c) => (c.type === 'output_text' && c.text ? c.text : '')).join('');
        if (text) {
          this.responseHadMessage = true;
          this.turns.addAssistantText(ts, text, 'response');
        }
        return;
      }
      case 'function_call':
      case 'custom_tool_call':
      case 'local_shell_call':
        return this.onToolCall(ts, item);
      case 'function_call_output':
      case 'custom_tool_call_output': {
        if (!item.call_id) return this.skip('missing-id');
        const error = toolOutputError(item.output);
        if (this.turns.endTool(ts, item.call_id, error)) this.signal('tool_output', ts);
        return;
      }
      case 'web_search_call': {
        const query = item.action && typeof item.action.query === 'string' ? item.action.query : '';
        const failed = item.status === 'failed';
        this.turns.startTool(ts, {
          id: item.id ?? `web_search_call:${this.webSearchCount++}`,
          name: 'web_search',
          inputSummary: shorten(query, 200),
          endedAt: ts,
          outcome: failed ? 'error' : 'ok',
          ...(failed ? { errorMessage: 'web search failed' } : {}),
        });
        return;
      }
      default:
        if (!QUIET_ITEMS.has(item.type)) this.unknown(`response_item/${item.type}`);
    }
  }

  private onToolCall(ts: string, item: CodexResponseItemPayload): void {
    const id = item.call_id ?? item.id;
    if (!id) return this.skip('missing-id');
    const name = item.name ?? (item.type === 'local_shell_call' ? 'local_shell' : item.type);
    this.responseHadToolCall = true;
    const args = item.arguments && typeof item.arguments === 'object' ? JSON.stringify(item.arguments) : item.arguments;
    this.turns.startTool(ts, { id, name, inputSummary: summarizeToolInput(name, args, item.input, item.action), outcome: 'pending' });
    this.signal('tool_call', ts, name);
  }

  /** Returns everything gathered since the last call and resets the per-read buffers. */
  takeDelta(fromOffset: number, nextOffset: number): TranscriptDelta {
    const delta: TranscriptDelta = {
      fromOffset,
      nextOffset,
      session: {
        id: this.sessionId,
        ...(this.cwd ? { cwd: this.cwd } : {}),
        models: [...this.models],
        ...(this.startedAt ? { startedAt: this.startedAt } : {}),
        ...(this.lastActivityAt ? { lastActivityAt: this.lastActivityAt } : {}),
        ...(this.parentSessionId ? { parentSessionId: this.parentSessionId } : {}),
      },
      turns: this.turns.takeTouched(),
      usage: this.usage,
      retractedKeys: [],
      signals: this.signals,
      skipped: this.skipped,
      unknownTypes: this.unknownTypes,
    };
    this.usage = [];
    this.signals = [];
    this.skipped = {};
    this.unknownTypes = {};
    return delta;
  }

  /** The file this state reads (for diagnostics). */
  get path(): string {
    return this.file.path;
  }
}
