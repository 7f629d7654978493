import type { Clock } from '../clock.js';
import type { Rng } from '../rng.js';
import { claudeSubagentPath, claudeTranscriptPath } from '../paths.js';
import type { LineSink, SinkFactory } from './line-sink.js';

/** Claude Code version the fakes pretend to be. */
export const CLAUDE_VERSION = '2.0.14';
export const CLAUDE_DEFAULT_MODEL = 'claude-sonnet-4-5-20250929';
/** Context size at which the writer auto-compacts. */
const COMPACT_AT = 160_000;

/** Claude `usage` object. */
export interface ClaudeUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  output_tokens: number;
  service_tier: string;
}

/** A content block of an assistant response. */
export type ClaudeBlock =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export type ClaudeRecord = Record<string, unknown> & { type: string; uuid?: string };

export interface ClaudeTranscriptOptions {
  configDir: string;
  cwd: string;
  sessionId: string;
  model: string;
  rng: Rng;
  clock: Clock;
  sinkFactory: SinkFactory;
  version?: string;
  gitBranch?: string;
  /** Set for a subagent transcript: lines get `isSidechain: true` and `agentId`. */
  agentId?: string;
  /** Uuid of the last line when continuing an existing transcript (`--resume`). */
  lastUuid?: string | null;
  /** Tokens already in the conversation (cache) when continuing. */
  contextTokens?: number;
  /** Share (0–1) of cache writes that use the 1-hour lifetime. */
  cache1hShare?: number;
}

/**
 * Writes Claude Code transcript records (main or subagent file), one line per record, keeping the
 * `parentUuid` chain and a realistic prompt-cache usage model. Shared by the fake CLI and the corpus generator.
 */
export class ClaudeTranscript {
  readonly path: string;
  lastUuid: string | null;
  /** Tokens in the cached prefix of the conversation. */
  private cached: number;
  /** Tokens added since the last API call (to be written to the cache by the next call). */
  private pending = 0;
  private readonly sink: LineSink;
  private readonly version: string;
  private readonly gitBranch: string;

  constructor(private readonly o: ClaudeTranscriptOptions) {
    this.path = o.agentId === undefined
      ? claudeTranscriptPath(o.configDir, o.cwd, o.sessionId)
      : claudeSubagentPath(o.configDir, o.cwd, o.sessionId, o.agentId);
    this.sink = o.sinkFactory(this.path);
    this.lastUuid = o.lastUuid ?? null;
    this.cached = o.contextTokens ?? 0;
    this.version = o.version ?? CLAUDE_VERSION;
    this.gitBranch = o.gitBranch ?? '';
  }

  get sessionId(): string {
    return this.o.sessionId;
  }

  get model(): string {
    return this.o.model;
  }

  /** Total context tokens so far (for resuming). */
  get contextTokens(): number {
    return this.cached + this.pending;
  }

  /** Opens a subagent transcript of this session. */
  subagent(agentId: string): ClaudeTranscript {
    return new ClaudeTranscript({ ...this.o, agentId, lastUuid: null, contextTokens: 0 });
  }

  private emit(record: ClaudeRecord): ClaudeRecord {
    this.sink.write(JSON.stringify(record));
    return record;
  }

  /** Common leading fields of a chained line; allocates its uuid and advances the chain. */
  private base(): { head: Record<string, unknown>; uuid: string } {
    const uuid = this.o.rng.uuid();
    const head: Record<string, unknown> = {
      parentUuid: this.lastUuid,
      isSidechain: this.o.agentId !== undefined,
      userType: 'external',
      cwd: this.o.cwd,
      sessionId: this.o.sessionId,
      version: this.version,
      gitBranch: this.gitBranch,
    };
    if (this.o.agentId !== undefined) head.agentId = this.o.agentId;
    this.lastUuid = uuid;
    return { head, uuid };
  }

  private finish(b: { head: Record<string, unknown>; uuid: string }, extra: Record<string, unknown> & { type: string }): ClaudeRecord {
    return this.emit({ ...b.head, ...extra, uuid: b.uuid, timestamp: this.o.clock().toISOString() });
  }

  /** The user's prompt (a string content, byte-exact). */
  userPrompt(text: string): ClaudeRecord {
    this.maybeCompact();
    this.pending += Math.ceil(text.length / 4) + 8;
    return this.finish(this.base(), { type: 'user', message: { role: 'user', content: text } });
  }

  /**
   * Auto-compaction, as Claude does near the context limit: a `compact_boundary` system line and an
   * `isCompactSummary` user line; the cache starts over from the summary.
   */
  private maybeCompact(): void {
    const preTokens = this.cached + this.pending;
    if (preTokens < COMPACT_AT) return;
    this.lastUuid = null;
    this.finish(this.base(), { type: 'system', subtype: 'compact_boundary', content: 'Conversation compacted', isMeta: false, level: 'info', compactMetadata: { trigger: 'auto', preTokens } });
    const summary = 'This session is being continued from a previous conversation that ran out of context. The conversation is summarized below:\n1. Primary request and intent: continue the current task.';
    this.finish(this.base(), { type: 'user', message: { role: 'user', content: summary }, isCompactSummary: true, isVisibleInTranscriptOnly: true });
    this.cached = 0;
    this.pending = this.o.rng.int(2_000, 6_000);
  }

  /** Usage of the next API call, advancing the cache model. */
  private nextUsage(outputTokens: number, big = false): ClaudeUsage {
    const rng = this.o.rng;
    let creation = this.pending;
    if (this.cached === 0) creation += this.o.agentId === undefined ? rng.int(14_000, 22_000) : rng.int(6_000, 10_000);
    if (big) creation += rng.int(20_000, 40_000);
    const read = this.cached;
    const share = this.o.cache1hShare ?? 0;
    const oneHour = share > 0 && rng.chance(share) ? creation : 0;
    this.cached += creation;
    this.pending = outputTokens;
    return {
      input_tokens: rng.int(3, 12),
      cache_creation_input_tokens: creation,
      cache_read_input_tokens: read,
      cache_creation: { ephemeral_5m_input_tokens: creation - oneHour, ephemeral_1h_input_tokens: oneHour },
      output_tokens: outputTokens,
      service_tier: 'standard',
    };
  }

  /**
   * One API response: one line per content block sharing `message.id` and `requestId`. Early lines carry a
   * partial usage (`output_tokens` 1–9, `stop_reason: null`); the last one the full usage and the stop reason.
   */
  assistantResponse(blocks: ClaudeBlock[], outputTokens: number, options: { big?: boolean } = {}): ClaudeRecord[] {
    const rng = this.o.rng;
    const usage = this.nextUsage(Math.max(1, outputTokens), options.big ?? false);
    const id = `msg_01${rng.base62(22)}`;
    const requestId = `req_011C${rng.base62(20)}`;
    const stop = blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
    return blocks.map((block, i) => {
      const last = i === blocks.length - 1;
      const lineUsage = last ? usage : { ...usage, cache_creation: { ...usage.cache_creation }, output_tokens: Math.min(usage.output_tokens, rng.int(1, 9)) };
      return this.finish(this.base(), {
        message: {
          model: this.o.model, id, type: 'message', role: 'assistant', content: [block],
          stop_reason: last ? stop : null, stop_sequence: null, usage: lineUsage,
        },
        requestId,
        type: 'assistant',
      });
    });
  }

  /** A tool result (a user line with a `tool_result` block and `toolUseResult`). */
  toolResult(toolUseId: string, content: string, isError: boolean, toolUseResult: unknown): ClaudeRecord {
    this.pending += Math.ceil(content.length / 4);
    return this.finish(this.base(), {
      type: 'user',
      message: { role: 'user', content: [{ tool_use_id: toolUseId, type: 'tool_result', content, is_error: isError }] },
      toolUseResult,
    });
  }

  /** The user interrupted (Esc): while a tool waited or ran (`toolUseId`), or while the model was thinking. */
  interrupted(toolUseId?: string, rejected = false): ClaudeRecord[] {
    const out: ClaudeRecord[] = [];
    if (toolUseId !== undefined) {
      const content = rejected
        ? "The user doesn't want to proceed with this tool use. The tool use was rejected (eg. if it was a file edit, the new_string was NOT written to the file). STOP what you are doing and wait for the user to tell you how to proceed."
        : '[Request interrupted by user for tool use]';
      out.push(this.toolResult(toolUseId, content, true, rejected ? 'User rejected tool use' : `Error: ${content}`));
    }
    const text = toolUseId !== undefined ? '[Request interrupted by user for tool use]' : '[Request interrupted by user]';
    out.push(this.finish(this.base(), { type: 'user', message: { role: 'user', content: [{ type: 'text', text }] } }));
    return out;
  }

  /** An API error: a `system` error line and the synthetic `isApiErrorMessage` assistant line. */
  apiError(status: number, body: string): ClaudeRecord[] {
    const text = `API Error: ${status} ${body}`;
    const sys = this.finish(this.base(), { type: 'system', subtype: 'error', level: 'error', content: text, isMeta: false });
    const zero = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 }, service_tier: null, cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 } };
    const msg = this.finish(this.base(), {
      type: 'assistant',
      message: { id: this.o.rng.uuid(), container: null, model: '<synthetic>', role: 'assistant', stop_reason: 'stop_sequence', stop_sequence: '', type: 'message', usage: zero, content: [{ type: 'text', text }] },
      isApiErrorMessage: true,
    });
    return [sys, msg];
  }

  /** `system` `turn_duration` line. */
  turnDuration(durationMs: number): ClaudeRecord {
    return this.finish(this.base(), { type: 'system', subtype: 'turn_duration', durationMs: Math.round(durationMs), isMeta: false });
  }

  /** `queue-operation` enqueue (with the queued text) or dequeue. */
  queueOperation(operation: 'enqueue' | 'dequeue', content?: string): ClaudeRecord {
    const rec: ClaudeRecord = { type: 'queue-operation', operation, timestamp: this.o.clock().toISOString(), sessionId: this.o.sessionId };
    if (content !== undefined) rec.content = content;
    return this.emit(rec);
  }

  /** Writes an already-built line (used for copying history on `--fork-session`). */
  raw(record: ClaudeRecord): void {
    this.emit(record);
  }

  close(): void {
    this.sink.close();
  }
}

/** New ids for tool calls. */
export function claudeToolUseId(rng: Rng): string {
  return `toolu_01${rng.base62(22)}`;
}

/** A plausible thinking signature. */
export function claudeSignature(rng: Rng): string {
  return `Eq${rng.base62(120)}==`;
}
