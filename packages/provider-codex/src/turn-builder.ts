import { addUsage, emptyUsage, type ToolSpan, type Turn, type Usage } from '@agentmux/core';

/** Maximum length of a turn's user or assistant text. */
export const TURN_TEXT_MAX = 4096;

const cut = (text: string): string => (text.length <= TURN_TEXT_MAX ? text : `${text.slice(0, TURN_TEXT_MAX - 1)}…`);

/** A turn being assembled. */
interface TurnState {
  turn: Turn;
  /** `event_msg agent_message` texts (preferred source). */
  agentMessages: string[];
  /** `response_item` assistant message texts (fallback for versions without agent_message events). */
  responseMessages: string[];
  lastActivityAt: string;
}

/**
 * Assembles Codex turns: a turn starts at `event_msg user_message` and collects assistant text, tool
 * spans and usage until it ends (final answer, `task_complete`, `turn_aborted`, or the next user
 * message). Keeps only the current turn plus an index of open tool calls; reports every touched turn.
 */
export class TurnBuilder {
  private current: TurnState | null = null;
  private nextIndex = 0;
  private readonly openTools = new Map<string, { state: TurnState; span: ToolSpan }>();
  private touched = new Set<TurnState>();

  constructor(private sessionId: string) {}

  /** Updates the session id used on new turns (once `session_meta` is read). */
  setSessionId(id: string): void {
    this.sessionId = id;
    if (this.current) this.current.turn.sessionId = id;
  }

  /** True while a turn is open (started and not ended). */
  get open(): boolean {
    return this.current !== null && this.current.turn.endedAt === undefined;
  }

  /** Index of the current turn, if any. */
  get currentIndex(): number | undefined {
    return this.current?.turn.index;
  }

  /** Number of tool calls of the current turn still waiting for a result. */
  get pendingTools(): number {
    const cur = this.current;
    return cur ? cur.turn.tools.filter((t) => t.outcome === 'pending').length : 0;
  }

  /** Starts a turn for a user prompt, ending the previous one if it is still open. */
  startTurn(at: string, userText: string, model: string | undefined): void {
    const prev = this.current;
    if (prev && prev.turn.endedAt === undefined) {
      prev.turn.endedAt = prev.lastActivityAt;
      this.touched.add(prev);
    }
    const turn: Turn = {
      index: this.nextIndex++,
      sessionId: this.sessionId,
      startedAt: at,
      userText: cut(userText),
      assistantText: '',
      tools: [],
      usage: emptyUsage(),
      ...(model ? { model } : {}),
    };
    this.current = { turn, agentMessages: [], responseMessages: [], lastActivityAt: at };
    this.touched.add(this.current);
  }

  /** The current turn for agent activity; creates an implicit one (empty user text) when none exists. */
  private active(at: string): TurnState {
    if (!this.current) this.startTurn(at, '', undefined);
    const cur = this.current as TurnState;
    if (cur.turn.endedAt !== undefined) delete cur.turn.endedAt; // activity after the end reopens it
    cur.lastActivityAt = at;
    this.touched.add(cur);
    return cur;
  }

  /** Records assistant text from `event_msg agent_message` or a `response_item` assistant message. */
  addAssistantText(at: string, text: string, source: 'event' | 'response'): void {
    if (!text) return;
    const cur = this.active(at);
    (source === 'event' ? cur.agentMessages : cur.responseMessages).push(text);
  }

  /** Notes the model answering the current turn. */
  setModel(model: string): void {
    if (this.current) {
      this.current.turn.model = model;
      this.touched.add(this.current);
    }
  }

  /** Opens a tool span. */
  startTool(at: string, span: Omit<ToolSpan, 'startedAt'>): void {
    const cur = this.active(at);
    const full: ToolSpan = { ...span, startedAt: at };
    cur.turn.tools.push(full);
    if (full.outcome === 'pending') this.openTools.set(full.id, { state: cur, span: full });
  }

  /** Closes a tool span by call id; returns false when the call is unknown. */
  endTool(at: string, callId: string, errorMessage: string | null): boolean {
    const open = this.openTools.get(callId);
    if (!open) return false;
    this.openTools.delete(callId);
    open.span.endedAt = at;
    open.span.outcome = errorMessage === null ? 'ok' : 'error';
    if (errorMessage !== null) open.span.errorMessage = errorMessage;
    open.state.lastActivityAt = at;
    this.touched.add(open.state);
    return true;
  }

  /** Marks an already finished tool as failed (e.g. `exec_command_end` with a non-zero exit code). */
  failTool(callId: string, errorMessage: string): void {
    for (const state of [this.current, ...[...this.openTools.values()].map((o) => o.state)]) {
      const span = state?.turn.tools.find((t) => t.id === callId);
      if (span && state) {
        span.outcome = 'error';
        span.errorMessage = errorMessage;
        this.touched.add(state);
        return;
      }
    }
  }

  /** Adds usage to the current turn (creating an implicit turn when none). */
  addUsage(at: string, usage: Usage, model: string | undefined): number {
    const cur = this.current ?? this.active(at);
    addUsage(cur.turn.usage, usage);
    if (model) cur.turn.model = model;
    this.touched.add(cur);
    return cur.turn.index;
  }

  /** Ends the current turn at `at`; `failed` marks aborts and errors. Pending tools fail when aborted. */
  endTurn(at: string, options: { failed?: boolean; reason?: string; lastAgentMessage?: string } = {}): void {
    const cur = this.current;
    if (!cur) return;
    cur.turn.endedAt = at;
    cur.lastActivityAt = at;
    if (options.failed) {
      cur.turn.failed = true;
      for (const span of cur.turn.tools) {
        if (span.outcome !== 'pending') continue;
        span.outcome = 'error';
        span.errorMessage = options.reason ?? 'aborted';
        this.openTools.delete(span.id);
      }
    }
    if (options.lastAgentMessage && cur.agentMessages.length === 0 && cur.responseMessages.length === 0) {
      cur.agentMessages.push(options.lastAgentMessage);
    }
    this.touched.add(cur);
  }

  /** Marks the current turn as failed without ending it (an error event). */
  markFailed(): void {
    if (this.current) {
      this.current.turn.failed = true;
      this.touched.add(this.current);
    }
  }

  /** Snapshots of the turns touched since the last call, in index order. */
  takeTouched(): Turn[] {
    const out = [...this.touched]
      .sort((a, b) => a.turn.index - b.turn.index)
      .map((s) => {
        const texts = s.agentMessages.length > 0 ? s.agentMessages : s.responseMessages;
        // A plain copy (structuredClone is ~10x slower on large reads).
        return { ...s.turn, assistantText: cut(texts.join('\n\n')), usage: { ...s.turn.usage }, tools: s.turn.tools.map((t) => ({ ...t })) };
      });
    this.touched = new Set();
    return out;
  }
}
