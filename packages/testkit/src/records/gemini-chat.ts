import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import type { Rng } from '../rng.js';
import { geminiChatsDir, geminiSessionFileName } from '../paths.js';
import type { LineSink, SinkFactory } from './line-sink.js';

export const GEMINI_VERSION = '0.9.0';
export const GEMINI_DEFAULT_MODEL = 'gemini-2.5-pro';

/** Gemini per-message tokens. `input` includes `cached`; `total = input + output + thoughts + tool`. */
export interface GeminiTokens {
  input: number;
  output: number;
  cached: number;
  thoughts: number;
  tool: number;
  total: number;
}

export interface GeminiToolCall {
  id: string;
  name: string;
  args: Record<string, unknown>;
  result?: unknown[];
  status: 'validating' | 'scheduled' | 'executing' | 'awaiting_approval' | 'success' | 'error' | 'cancelled';
  timestamp: string;
  displayName?: string;
  description?: string;
  resultDisplay?: string;
  renderOutputAsMarkdown?: boolean;
}

export interface GeminiMessage {
  id: string;
  timestamp: string;
  type: 'user' | 'info' | 'error' | 'warning' | 'gemini';
  content: string;
  model?: string;
  thoughts?: { subject: string; description: string; timestamp: string }[];
  toolCalls?: GeminiToolCall[];
  tokens?: GeminiTokens | null;
}

export interface GeminiChatOptions {
  gemDir: string;
  projectId: string;
  cwd: string;
  sessionId: string;
  startedAt: Date;
  model: string;
  rng: Rng;
  clock: Clock;
  sinkFactory: SinkFactory;
  /** Existing file to append to (`--resume`). */
  existingPath?: string;
  contextTokens?: number;
  kind?: 'main' | 'subagent';
}

/**
 * Writes a Gemini JSONL chat: metadata line, then each message (re-appended whole with the same id as it
 * updates), and `$set` lines for `lastUpdated`. Shared by the fake and the corpus generator.
 */
export class GeminiChat {
  readonly path: string;
  private readonly sink: LineSink;
  private context: number;
  private lastInput = 0;

  constructor(private readonly o: GeminiChatOptions) {
    this.path = o.existingPath ?? join(geminiChatsDir(o.gemDir, o.projectId), geminiSessionFileName(o.sessionId, o.startedAt));
    this.sink = o.sinkFactory(this.path);
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

  private write(obj: unknown): void {
    this.sink.write(JSON.stringify(obj));
  }

  private now(): string {
    return this.o.clock().toISOString();
  }

  /** Line 1: session metadata. */
  start(): void {
    const t = this.o.startedAt.toISOString();
    this.write({ sessionId: this.o.sessionId, projectHash: createHash('sha256').update(this.o.cwd).digest('hex'), startTime: t, lastUpdated: t, kind: this.o.kind ?? 'main' });
    this.context += this.o.rng.int(6_000, 9_000);
  }

  /** Appends a message (first write or an update with the same id) and a `$set` of `lastUpdated`. */
  put(message: GeminiMessage): GeminiMessage {
    this.write(message);
    this.write({ $set: { lastUpdated: this.now() } });
    return message;
  }

  user(text: string): GeminiMessage {
    this.context += Math.ceil(text.length / 4) + 4;
    return this.put({ id: this.o.rng.uuid(), timestamp: this.now(), type: 'user', content: text });
  }

  /** A new `gemini` message (not yet written: call `put`). */
  newGemini(content: string, thoughts: string | undefined): GeminiMessage {
    const m: GeminiMessage = { id: this.o.rng.uuid(), timestamp: this.now(), type: 'gemini', content, model: this.o.model, thoughts: [], tokens: null };
    if (thoughts !== undefined) m.thoughts = [{ subject: 'Planning the approach', description: thoughts, timestamp: this.now() }];
    return m;
  }

  /** Accounts one API call; the result goes into the message's `tokens`. */
  tokens(outputTokens: number, thoughtsTokens: number, options: { big?: boolean } = {}): GeminiTokens {
    if (options.big) this.context += this.o.rng.int(20_000, 40_000);
    const input = this.context;
    const cached = this.lastInput > 4_096 ? Math.min(input, Math.floor((this.lastInput * 0.75) / 1024) * 1024) : 0;
    const output = Math.max(1, outputTokens);
    this.lastInput = input;
    this.context += output;
    return { input, output, cached, thoughts: thoughtsTokens, tool: 0, total: input + output + thoughtsTokens };
  }

  toolResultTokens(output: string): void {
    this.context += Math.ceil(output.length / 4) + 10;
  }

  info(text: string): GeminiMessage {
    return this.put({ id: this.o.rng.uuid(), timestamp: this.now(), type: 'info', content: text });
  }

  error(text: string): GeminiMessage {
    return this.put({ id: this.o.rng.uuid(), timestamp: this.now(), type: 'error', content: text });
  }

  close(): void {
    this.sink.close();
  }
}
