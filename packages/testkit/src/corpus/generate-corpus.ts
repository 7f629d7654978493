import { statSync } from 'node:fs';
import { join } from 'node:path';
import { SteppingClock } from '../clock.js';
import { TextPool } from '../content.js';
import { claudeBlocks, claudeTool, claudeToolUseResult, writeClaudeSubagent } from '../fakes/claude/claude-adapter.js';
import { codexCommand } from '../fakes/codex/codex-adapter.js';
import { geminiTool } from '../fakes/gemini/gemini-adapter.js';
import { geminiDir, geminiProjectId } from '../paths.js';
import { generateTools, planTurn, type PlanSizes, type TurnPlan } from '../plan.js';
import { CLAUDE_DEFAULT_MODEL, claudeToolUseId, ClaudeTranscript, type ClaudeRecord } from '../records/claude-transcript.js';
import { codexCallId, CODEX_DEFAULT_MODEL, CodexRollout } from '../records/codex-rollout.js';
import { GEMINI_DEFAULT_MODEL, GeminiChat, type GeminiToolCall } from '../records/gemini-chat.js';
import { bufferedSinkFactory, type SinkFactory } from '../records/line-sink.js';
import { Rng } from '../rng.js';
import { TestkitArgumentError } from '../testkit-error.js';
import { realisticExtraBlocks, writeFileHistorySnapshot, writeProgressLines } from './realistic-shape.js';

export type CorpusProvider = 'claude' | 'codex' | 'gemini';

/**
 * How transcripts are shaped.
 * - `default`: 1–2 tool calls per turn, large tool outputs: few, long lines.
 * - `realistic`: shaped like real histories (many more, smaller lines): 2–12 tool calls per turn, subagents with
 *   4–14 tool calls, thinking and text blocks on many responses (Claude writes one line per content block, each
 *   repeating the response's usage); Claude files also get a `file-history-snapshot` line per prompt and
 *   `progress` lines while shell tools run. On ~600 MB (220 sessions × 60 turns) ccusage spends about as much CPU
 *   and memory per MB as on real Claude histories (see bench/README.md).
 */
export type CorpusShape = 'default' | 'realistic';

export interface CorpusOptions {
  provider: CorpusProvider;
  /** Fake home: files go to `<root>/.claude/projects`, `<root>/.codex/sessions` or `<root>/.gemini/tmp`. */
  root: string;
  sessions: number;
  turnsPerSession: number;
  seed: number;
  /** Every Nth turn (1-based count over the corpus) runs a subagent (`Task`); Claude only. 0 = never. Default 7. */
  subagentEvery?: number;
  /** Aim for about this many bytes in total (content sizes adapt as sessions are written). */
  targetBytes?: number;
  /** Models to pick from per session (default: the provider's default model). */
  models?: string[];
  /** First session start (ISO-8601 or Date; default 2026-01-05T09:00:00Z). Sessions follow each other. */
  startDate?: string | Date;
  /** Claude: subagent files also repeat a main-chain line (same `message.id`), as replays do. Default false. */
  sidechainReplays?: boolean;
  /** Number of distinct project directories (default min(8, sessions)). */
  projects?: number;
  /** Transcript shape (default `default`). */
  shape?: CorpusShape;
}

export interface CorpusResult {
  /** The fake home (pass it to `fakeEnv({ home })`). */
  root: string;
  /** Every file written, in order. */
  files: string[];
  /** Total bytes written. */
  bytes: number;
  /** Record lines written. */
  lines: number;
  /** Session ids, in order. */
  sessionIds: string[];
}

const PROJECT_NAMES = ['agentmux', 'web-app', 'api-server', 'data-pipeline', 'mobile-client', 'infra', 'docs-site', 'ml-experiments'];

function check(options: CorpusOptions): void {
  const int = (v: unknown, field: string, min: number): void => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new TestkitArgumentError(`generateCorpus.${field}`, `expected an integer >= ${min}, got ${JSON.stringify(v)}`, `pass a whole number >= ${min}`);
  };
  if (!['claude', 'codex', 'gemini'].includes(options.provider)) throw new TestkitArgumentError('generateCorpus.provider', `unknown provider ${JSON.stringify(options.provider)}`, 'use "claude", "codex" or "gemini"');
  if (typeof options.root !== 'string' || options.root === '') throw new TestkitArgumentError('generateCorpus.root', 'expected a directory path', 'pass a temp directory');
  int(options.sessions, 'sessions', 1);
  int(options.turnsPerSession, 'turnsPerSession', 1);
  int(options.seed, 'seed', 0);
  if (options.subagentEvery !== undefined) int(options.subagentEvery, 'subagentEvery', 0);
  if (options.targetBytes !== undefined) int(options.targetBytes, 'targetBytes', 1);
  if (options.projects !== undefined) int(options.projects, 'projects', 1);
  if (options.shape !== undefined && options.shape !== 'default' && options.shape !== 'realistic') {
    throw new TestkitArgumentError('generateCorpus.shape', `unknown shape ${JSON.stringify(options.shape)}`, 'use "default" or "realistic"');
  }
  if (options.models !== undefined && (!Array.isArray(options.models) || options.models.length === 0 || options.models.some((m) => typeof m !== 'string' || m === ''))) {
    throw new TestkitArgumentError('generateCorpus.models', 'expected a non-empty array of model ids', 'pass e.g. ["claude-sonnet-4-5-20250929"]');
  }
  if (options.startDate !== undefined && Number.isNaN(new Date(options.startDate).getTime())) {
    throw new TestkitArgumentError('generateCorpus.startDate', `not a date: ${String(options.startDate)}`, 'pass an ISO-8601 string');
  }
}

/**
 * Writes a deterministic corpus of transcripts in the real on-disk layout (same seed → byte-identical
 * files), with the same record writers the fake CLIs use. Streams to disk: memory stays bounded.
 */
export async function generateCorpus(options: CorpusOptions): Promise<CorpusResult> {
  check(options);
  const rng = new Rng(options.seed);
  const pool = new TextPool(rng);
  const clock = new SteppingClock(new Date(options.startDate ?? '2026-01-05T09:00:00.000Z').getTime());
  const files: string[] = [];
  let bytes = 0;
  let lines = 0;
  // Test data, not state: no fsync (it cost a quarter of the time).
  const base = bufferedSinkFactory({ fsync: false });
  const sinkFactory: SinkFactory = (path) => {
    files.push(path);
    const sink = base(path);
    return {
      write(line) {
        lines++;
        sink.write(line);
      },
      close() {
        sink.close();
        bytes += statSync(path).size;
      },
    };
  };
  const projectCount = options.projects ?? Math.min(8, options.sessions);
  const cwds = Array.from({ length: projectCount }, (_, i) => `/home/dev/projects/${PROJECT_NAMES[i % PROJECT_NAMES.length] ?? 'p'}${i >= PROJECT_NAMES.length ? `-${Math.floor(i / PROJECT_NAMES.length) + 1}` : ''}`);
  const defaultModel = options.provider === 'claude' ? CLAUDE_DEFAULT_MODEL : options.provider === 'codex' ? CODEX_DEFAULT_MODEL : GEMINI_DEFAULT_MODEL;
  const models = options.models ?? [defaultModel];
  const totalTurns = options.sessions * options.turnsPerSession;
  const perTurn = options.targetBytes !== undefined ? options.targetBytes / totalTurns : undefined;
  let scale = 1;
  const realistic = options.shape === 'realistic';
  // Realistic turns hold ~7 tool calls and ~2 text lines per call: smaller shares per piece.
  const [outShare, answerShare] = realistic ? [0.045, 0.04] : [0.22, 0.12];
  const sizes = (): PlanSizes => perTurn === undefined
    ? (realistic ? { toolOutputChars: 900, answerChars: 600 } : { toolOutputChars: 1500, answerChars: 800 })
    : { toolOutputChars: Math.max(40, Math.round(perTurn * outShare * scale)), answerChars: Math.max(40, Math.round(perTurn * answerShare * scale)) };
  const every = options.subagentEvery ?? 7;
  const sessionIds: string[] = [];
  let turnCount = 0;

  for (let s = 0; s < options.sessions; s++) {
    const cwd = rng.pick(cwds);
    const model = rng.pick(models);
    const sessionId = rng.uuid();
    sessionIds.push(sessionId);
    const plans: TurnPlan[] = [];
    for (let t = 0; t < options.turnsPerSession; t++) {
      turnCount++;
      const file = rng.chance(0.4) ? ` in src/${pool.word()}.ts` : '';
      const prompt = `${pool.prose(rng.int(60, 400))}${file}`;
      const subagent = options.provider === 'claude' && every > 0 && turnCount % every === 0;
      const knobs = realistic ? { subagent, turnDurationMs: rng.int(4_000, 120_000), toolCalls: rng.int(2, 12) } : { subagent, turnDurationMs: rng.int(4_000, 120_000) };
      const plan = planTurn(prompt, knobs, rng, pool, sizes());
      const sub = realistic ? plan.tools.find((t) => t.subagent !== undefined)?.subagent : undefined;
      if (sub) sub.tools = generateTools(sub.prompt, rng.int(4, 14), rng, pool, sizes());
      plans.push(plan);
    }
    if (options.provider === 'claude') writeClaudeSession({ root: options.root, pool, cwd, sessionId, model, rng, clock, sinkFactory, plans, replays: options.sidechainReplays ?? false, realistic });
    else if (options.provider === 'codex') writeCodexSession({ root: options.root, pool, cwd, sessionId, model, rng, clock, sinkFactory, plans });
    else writeGeminiSession({ root: options.root, pool, cwd, sessionId, model, rng, clock, sinkFactory, plans });
    clock.advance(rng.int(60_000, 3_600_000));
    if (options.targetBytes !== undefined) {
      const wanted = (options.targetBytes * (s + 1)) / options.sessions;
      scale = Math.min(50, Math.max(0.02, scale * Math.sqrt(wanted / Math.max(1, bytes))));
    }
  }
  return { root: options.root, files, bytes, lines, sessionIds };
}

interface SessionArgs {
  root: string;
  pool: TextPool;
  cwd: string;
  sessionId: string;
  model: string;
  rng: Rng;
  clock: SteppingClock;
  sinkFactory: SinkFactory;
  plans: TurnPlan[];
}

function writeClaudeSession(a: SessionArgs & { replays: boolean; realistic: boolean }): void {
  const { rng, clock } = a;
  const tr = new ClaudeTranscript({ configDir: join(a.root, '.claude'), cwd: a.cwd, sessionId: a.sessionId, model: a.model, rng, clock: clock.now, sinkFactory: a.sinkFactory, gitBranch: 'main', cache1hShare: 0.1 });
  for (const plan of a.plans) {
    const started = clock.millis;
    const step = plan.durationMs / (plan.tools.length * 2 + 1);
    const prompt = tr.userPrompt(plan.prompt);
    if (a.realistic) writeFileHistorySnapshot(tr, prompt, clock.now());
    let lastMain: ClaudeRecord | undefined;
    for (const [i, tool] of plan.tools.entries()) {
      clock.advance(step);
      const use = { id: claudeToolUseId(rng), ...claudeTool(tool, a.cwd) };
      const said = i === 0 ? { thinking: plan.thinking, text: plan.preamble } : a.realistic ? realisticExtraBlocks(rng, a.pool, tool) : {};
      const blocks = claudeBlocks({ index: i, ...said, outputTokens: 0, big: false }, rng, use);
      const recs = tr.assistantResponse(blocks, Math.ceil(plan.outputTokens * 0.4 / plan.tools.length));
      lastMain = recs[recs.length - 1];
      if (a.realistic && tool.kind === 'shell') writeProgressLines(tr, rng, use.id, step, clock.millis);
      clock.advance(step);
      let extra: Record<string, unknown> = {};
      if (tool.kind === 'task') {
        const sub = writeClaudeSubagent(tr, tool, rng, a.cwd, a.replays ? lastMain : undefined);
        extra = { agentId: sub.agentId, totalTokens: sub.totalTokens, totalToolUseCount: sub.toolUses };
      }
      tr.toolResult(use.id, tool.output, tool.isError, claudeToolUseResult(tool, use.input, step, extra));
    }
    clock.advance(step);
    tr.assistantResponse(claudeBlocks({ index: plan.tools.length, text: plan.answer, outputTokens: 0, big: false, ...(plan.tools.length === 0 ? { thinking: plan.thinking } : {}) }, rng), Math.ceil(plan.outputTokens * 0.6));
    tr.turnDuration(clock.millis - started);
    clock.advance(rng.int(5_000, 300_000));
  }
  tr.close();
}

function writeCodexSession(a: SessionArgs): void {
  const { rng, clock } = a;
  const r = new CodexRollout({ home: join(a.root, '.codex'), cwd: a.cwd, sessionId: a.sessionId, startedAt: clock.now(), model: a.model, rng, clock: clock.now, sinkFactory: a.sinkFactory, gitBranch: 'main' });
  r.start();
  for (const plan of a.plans) {
    const step = plan.durationMs / (plan.tools.length * 2 + 1);
    r.userTurn(plan.prompt);
    for (const [i, tool] of plan.tools.entries()) {
      clock.advance(step);
      if (i === 0) r.reasoning(`**Planning the change**\n\n${plan.thinking}`);
      const id = codexCallId(rng);
      r.functionCall('shell', { command: ['bash', '-lc', codexCommand(tool)], workdir: a.cwd, timeout_ms: 120_000 }, id);
      r.tokenCount(Math.ceil(plan.outputTokens * 0.4 / plan.tools.length));
      clock.advance(step);
      r.functionCallOutput(id, tool.output, tool.isError ? 1 : 0, step / 1000);
    }
    clock.advance(step);
    r.agentMessage(plan.answer);
    r.tokenCount(Math.ceil(plan.outputTokens * 0.6));
    clock.advance(rng.int(5_000, 300_000));
  }
  r.close();
}

function writeGeminiSession(a: SessionArgs): void {
  const { rng, clock } = a;
  const gemDir = geminiDir({ GEMINI_CLI_HOME: a.root });
  const chat = new GeminiChat({ gemDir, projectId: geminiProjectId(gemDir, a.cwd), cwd: a.cwd, sessionId: a.sessionId, startedAt: clock.now(), model: a.model, rng, clock: clock.now, sinkFactory: a.sinkFactory });
  chat.start();
  for (const plan of a.plans) {
    const step = plan.durationMs / (plan.tools.length * 2 + 1);
    chat.user(plan.prompt);
    for (const [i, tool] of plan.tools.entries()) {
      clock.advance(step);
      const tokens = chat.tokens(Math.ceil(plan.outputTokens * 0.4 / plan.tools.length), i === 0 ? Math.ceil(plan.thinking.length / 4) : 0);
      const msg = chat.newGemini(i === 0 ? plan.preamble : '', i === 0 ? plan.thinking : undefined);
      const t = geminiTool(tool, a.cwd);
      const id = `${t.name}-${clock.millis}-${rng.hex(13)}`;
      const call: GeminiToolCall = { id, name: t.name, args: t.args, status: 'executing', timestamp: msg.timestamp, displayName: t.displayName, description: tool.description, renderOutputAsMarkdown: t.name !== 'run_shell_command' };
      msg.toolCalls = [call];
      chat.put(msg);
      clock.advance(step);
      call.status = tool.isError ? 'error' : 'success';
      call.result = [{ functionResponse: { id, name: t.name, response: { output: tool.output } } }];
      call.resultDisplay = tool.output;
      msg.tokens = tokens;
      chat.put(msg);
      chat.toolResultTokens(tool.output);
    }
    clock.advance(step);
    const tokens = chat.tokens(Math.ceil(plan.outputTokens * 0.6), 0);
    const msg = chat.newGemini(plan.answer, plan.tools.length === 0 ? plan.thinking : undefined);
    msg.tokens = tokens;
    chat.put(msg);
    clock.advance(rng.int(5_000, 300_000));
  }
  chat.close();
}
