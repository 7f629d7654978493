import type { Clock } from '../clock.js';
import type { Rng } from '../rng.js';
import { codexSessionPath } from '../paths.js';
import type { LineSink, SinkFactory } from './line-sink.js';

export const CODEX_VERSION = '0.46.0';
export const CODEX_DEFAULT_MODEL = 'gpt-5-codex';

/** Codex token usage. */
export interface CodexTokenUsage {
  input_tokens: number;
  cached_input_tokens: number;
  output_tokens: number;
  reasoning_output_tokens: number;
  total_tokens: number;
}

export interface CodexRolloutOptions {
  home: string;
  cwd: string;
  sessionId: string;
  startedAt: Date;
  model: string;
  rng: Rng;
  clock: Clock;
  sinkFactory: SinkFactory;
  /** `cli` (interactive) or `exec`. */
  source?: string;
  approvalPolicy?: string;
  sandboxMode?: string;
  gitBranch?: string;
  /** Path of an existing rollout to append to (`codex resume`). */
  existingPath?: string;
  /** Cumulative usage so far when resuming. */
  totals?: CodexTokenUsage;
  contextTokens?: number;
}

const zeroUsage = (): CodexTokenUsage => ({ input_tokens: 0, cached_input_tokens: 0, output_tokens: 0, reasoning_output_tokens: 0, total_tokens: 0 });

/**
 * Writes a Codex rollout file: `session_meta`, `turn_context`, `response_item`s and `event_msg`s, with
 * cumulative `total_token_usage` and per-call `last_token_usage`. Shared by the fake and the corpus generator.
 */
export class CodexRollout {
  readonly path: string;
  readonly totals: CodexTokenUsage;
  private context: number;
  private lastInput = 0;
  private readonly sink: LineSink;
  private started = 0;

  constructor(private readonly o: CodexRolloutOptions) {
    this.path = o.existingPath ?? codexSessionPath(o.home, o.sessionId, o.startedAt);
    this.sink = o.sinkFactory(this.path);
    this.totals = o.totals ? { ...o.totals } : zeroUsage();
    this.context = o.contextTokens ?? 0;
    this.lastInput = this.context;
  }

  get sessionId(): string {
    return this.o.sessionId;
  }

  get model(): string {
    return this.o.model;
  }

  get contextTokens(): number {
    return this.context;
  }

  private line(type: string, payload: Record<string, unknown>): Record<string, unknown> {
    const rec = { timestamp: this.o.clock().toISOString(), type, payload };
    this.sink.write(JSON.stringify(rec));
    return rec;
  }

  /** `session_meta` and the environment-context message (new sessions only). */
  start(): void {
    const git = this.o.gitBranch ? { commit_hash: this.o.rng.hex(40), branch: this.o.gitBranch, repository_url: 'git@github.com:example/project.git' } : undefined;
    this.line('session_meta', {
      id: this.o.sessionId, timestamp: this.o.startedAt.toISOString(), cwd: this.o.cwd, originator: this.o.source === 'exec' ? 'codex_exec' : 'codex_cli_rs',
      cli_version: CODEX_VERSION, instructions: null, source: this.o.source ?? 'cli', model_provider: 'openai', ...(git ? { git } : {}),
    });
    const env = `<environment_context>\n  <cwd>${this.o.cwd}</cwd>\n  <approval_policy>${this.o.approvalPolicy ?? 'on-request'}</approval_policy>\n  <sandbox_mode>${this.o.sandboxMode ?? 'workspace-write'}</sandbox_mode>\n  <network_access>restricted</network_access>\n  <shell>bash</shell>\n</environment_context>`;
    this.line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: env }] });
    this.context += this.o.rng.int(4_000, 6_000);
  }

  /** Start of a turn: `turn_context`, the user message item and the `user_message` event. */
  userTurn(prompt: string): void {
    if (this.context > 220_000) {
      // Auto-compaction near the context window: `compacted` plus a `context_compacted` event.
      this.line('compacted', { message: 'Summary of the conversation so far: the user is working on the current task.' });
      this.line('event_msg', { type: 'context_compacted' });
      this.context = this.o.rng.int(6_000, 10_000);
      this.lastInput = 0;
    }
    this.line('turn_context', {
      cwd: this.o.cwd, approval_policy: this.o.approvalPolicy ?? 'on-request',
      sandbox_policy: { mode: this.o.sandboxMode ?? 'workspace-write', network_access: false, exclude_tmpdir_env_var: false, exclude_slash_tmp: false },
      model: this.o.model, effort: 'medium', summary: 'auto',
    });
    this.line('response_item', { type: 'message', role: 'user', content: [{ type: 'input_text', text: prompt }] });
    this.line('event_msg', { type: 'user_message', message: prompt, images: [] });
    if (this.started++ === 0 && this.totals.total_tokens === 0) this.line('event_msg', { type: 'token_count', info: null, rate_limits: null });
    this.context += Math.ceil(prompt.length / 4) + 10;
  }

  /** Reasoning summary: `agent_reasoning` event and `reasoning` item. */
  reasoning(text: string): void {
    this.line('event_msg', { type: 'agent_reasoning', text });
    this.line('response_item', { type: 'reasoning', summary: [{ type: 'summary_text', text }], content: null, encrypted_content: `gAAAAAB${this.o.rng.base62(160)}` });
  }

  /** A `function_call` item; `args` is serialised to the JSON string Codex writes. */
  functionCall(name: string, args: Record<string, unknown>, callId: string): Record<string, unknown> {
    return this.line('response_item', { type: 'function_call', name, arguments: JSON.stringify(args), call_id: callId });
  }

  /** A `function_call_output` item (output is the JSON string Codex writes for shell calls). */
  functionCallOutput(callId: string, output: string, exitCode: number, durationSeconds: number): void {
    const body = JSON.stringify({ output, metadata: { exit_code: exitCode, duration_seconds: Math.round(durationSeconds * 10) / 10 } });
    this.line('response_item', { type: 'function_call_output', call_id: callId, output: body });
    this.context += Math.ceil(output.length / 4) + 20;
  }

  /** The final answer: `agent_message` event and assistant `message` item. */
  agentMessage(text: string): void {
    this.line('event_msg', { type: 'agent_message', message: text });
    this.line('response_item', { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });
  }

  /** Accounts one API call and writes its `token_count` event; returns the call's usage. */
  tokenCount(outputTokens: number, options: { big?: boolean } = {}): CodexTokenUsage {
    const rng = this.o.rng;
    if (options.big) this.context += rng.int(20_000, 40_000);
    const input = this.context;
    const cached = Math.min(input, Math.floor(this.lastInput / 256) * 256);
    const output = Math.max(1, outputTokens);
    const reasoning = Math.min(output, Math.round(output * (0.3 + rng.next() * 0.3)));
    const last: CodexTokenUsage = { input_tokens: input, cached_input_tokens: cached, output_tokens: output, reasoning_output_tokens: reasoning, total_tokens: input + output };
    for (const k of Object.keys(last) as (keyof CodexTokenUsage)[]) this.totals[k] += last[k];
    this.lastInput = input;
    this.context += output - reasoning;
    this.line('event_msg', {
      type: 'token_count',
      info: { total_token_usage: { ...this.totals }, last_token_usage: last, model_context_window: 272_000 },
      rate_limits: {
        primary: { used_percent: Math.min(100, Math.round(this.totals.total_tokens / 50_000)), window_minutes: 300, resets_in_seconds: rng.int(60, 18_000) },
        secondary: { used_percent: Math.min(100, Math.round(this.totals.total_tokens / 500_000)), window_minutes: 10_080, resets_in_seconds: rng.int(3_600, 600_000) },
      },
    });
    return last;
  }

  /** `turn_aborted` (Esc). */
  aborted(reason = 'interrupted'): void {
    this.line('event_msg', { type: 'turn_aborted', reason });
  }

  /** An `error` event. */
  error(message: string): void {
    this.line('event_msg', { type: 'error', message });
  }

  close(): void {
    this.sink.close();
  }
}

export function codexCallId(rng: Rng): string {
  return `call_${rng.base62(24)}`;
}
