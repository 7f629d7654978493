import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TextPool } from '../content.js';
import { geminiChatsDir, geminiDir, geminiProjectId } from '../paths.js';
import { planTurn } from '../plan.js';
import { appendSinkFactory } from '../records/line-sink.js';
import { GEMINI_DEFAULT_MODEL, GEMINI_VERSION, GeminiChat, type GeminiTokens } from '../records/gemini-chat.js';
import { Rng } from '../rng.js';
import { turnKnobs } from '../scenario.js';
import { isProblem, parseArgs, UUID_RE, type FlagSpec } from './common/args.js';
import { InteractiveApp } from './common/interactive-app.js';
import { runTurn } from './common/turn-runner.js';
import { gitBranch, loadFakeEnvironment, readStdin } from './common/util.js';
import { createGeminiAdapter } from './gemini/gemini-adapter.js';
import { geminiUi } from './gemini/gemini-ui.js';

const SPECS: FlagSpec[] = [
  { names: ['-m', '--model'], key: 'model', value: 'required' },
  { names: ['--approval-mode'], key: 'approvalMode', value: 'required', choices: ['default', 'auto_edit', 'yolo'] },
  { names: ['-y', '--yolo'], key: 'yolo', value: 'none' },
  { names: ['-r', '--resume'], key: 'resume', value: 'required' },
  { names: ['-p', '--prompt'], key: 'prompt', value: 'required' },
  { names: ['-i', '--prompt-interactive'], key: 'promptInteractive', value: 'required' },
  { names: ['-o', '--output-format'], key: 'outputFormat', value: 'required', choices: ['text', 'json', 'stream-json'] },
  { names: ['-s', '--sandbox'], key: 'sandbox', value: 'none' },
  { names: ['-d', '--debug'], key: 'debug', value: 'none' },
  { names: ['-v', '--version'], key: 'version', value: 'none' },
  { names: ['-h', '--help'], key: 'help', value: 'none' },
];
const USAGE = 'Usage: gemini [options] [command]\n\nGemini CLI - Launch an interactive CLI, use -p/--prompt for non-interactive mode';

function die(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

const parsed = parseArgs(process.argv.slice(2), SPECS);
if (isProblem(parsed)) {
  if (parsed.kind === 'unknown') die(`${USAGE}\n\nUnknown argument: ${parsed.flag.replace(/^-+/, '')}`);
  if (parsed.kind === 'missing-value') die(`${USAGE}\n\nNot enough arguments following: ${parsed.flag.replace(/^-+/, '')}`);
  die(`${USAGE}\n\nInvalid values:\n  Argument: ${parsed.flag.replace(/^-+/, '')}, Given: "${parsed.value}", Choices: ${parsed.choices.map((c) => `"${c}"`).join(', ')}`);
}
const f = parsed.flags;
if (f.version) {
  process.stdout.write(`${GEMINI_VERSION}\n`);
  process.exit(0);
}
if (f.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const { scenario, clock } = loadFakeEnvironment('gemini');
const cwd = process.cwd();
const gemDir = geminiDir();
const rng = new Rng();
const pool = new TextPool(rng);
const model = typeof f.model === 'string' ? f.model : (scenario.model ?? GEMINI_DEFAULT_MODEL);
const approvalMode = f.yolo ? 'yolo' : typeof f.approvalMode === 'string' ? f.approvalMode : 'default';
const projectId = geminiProjectId(gemDir, cwd);
const chatsDir = geminiChatsDir(gemDir, projectId);

let existingPath: string | undefined;
let sessionId = rng.uuid();
let contextTokens = 0;
if (typeof f.resume === 'string') {
  const files = existsSync(chatsDir) ? readdirSync(chatsDir).filter((n) => /^session-.*\.jsonl$/.test(n)).map((n) => join(chatsDir, n)) : [];
  const sessions = files.map((p) => {
    const first = readFileSync(p, 'utf8').split('\n', 1)[0] ?? '';
    let id = '';
    try {
      id = String((JSON.parse(first) as { sessionId?: unknown }).sessionId ?? '');
    } catch {
      // not a session file
    }
    return { p, id, m: statSync(p).mtimeMs };
  }).filter((s) => s.id !== '').sort((a, b) => a.m - b.m);
  const key = f.resume;
  const found = key === 'latest' ? sessions[sessions.length - 1]
    : UUID_RE.test(key) ? sessions.find((s) => s.id === key)
      : /^\d+$/.test(key) ? sessions[Number(key) - 1] : undefined;
  if (!found) die(`Error resuming session: Invalid session identifier "${key}". Use --list-sessions to see available sessions.`);
  existingPath = found.p;
  sessionId = found.id;
  for (const line of readFileSync(found.p, 'utf8').split('\n')) {
    try {
      const t = (JSON.parse(line) as { tokens?: GeminiTokens | null }).tokens;
      if (t) contextTokens = t.input + t.output;
    } catch {
      // skip
    }
  }
}

const chat = new GeminiChat({
  gemDir, projectId, cwd, sessionId, startedAt: clock(), model, rng, clock, sinkFactory: appendSinkFactory,
  ...(existingPath !== undefined ? { existingPath, contextTokens } : {}),
});
if (existingPath === undefined) chat.start();

if (typeof f.prompt === 'string') {
  const piped = await readStdin();
  const prompt = piped.trim() !== '' ? `${piped}\n\n${f.prompt}` : f.prompt;
  const format = typeof f.outputFormat === 'string' ? f.outputFormat : 'text';
  const out = (e: unknown): boolean => process.stdout.write(`${JSON.stringify(e)}\n`);
  const sum: GeminiTokens = { input: 0, output: 0, cached: 0, thoughts: 0, tool: 0, total: 0 };
  let requests = 0;
  const started = performance.now();
  if (format === 'stream-json') out({ type: 'init', timestamp: clock().toISOString(), session_id: sessionId, model });
  const adapter = createGeminiAdapter({
    chat, rng, cwd, clock,
    ...(format === 'stream-json' ? { onEvent: out } : {}),
    onTokens: (t) => {
      requests++;
      for (const k of Object.keys(sum) as (keyof GeminiTokens)[]) sum[k] += t[k];
    },
  });
  const { crashAfterTurns, crashMode } = scenario;
  const outcome = await runTurn(planTurn(prompt, turnKnobs(scenario, 0), rng, pool), adapter, {
    phase: () => undefined, toolCalled: () => undefined, answered: () => undefined, outputTokens: () => undefined,
    skipsPermission: () => true, askPermission: async () => 'yes',
  }, { signal: new AbortController().signal, ...(crashMode === 'mid-turn' && crashAfterTurns === 0 ? { onFirstResponse: () => process.exit(1) } : {}) });
  if (crashAfterTurns !== undefined && crashMode !== 'mid-turn' && crashAfterTurns <= 1) process.exit(1);
  const ms = Math.round(performance.now() - started);
  if (outcome !== 'completed') {
    const message = adapter.lastError ?? 'The turn failed';
    if (format === 'text') die(message);
    if (format === 'stream-json') out({ type: 'result', timestamp: clock().toISOString(), status: 'error', error: { type: 'api_error', message }, stats: { total_tokens: sum.total, input_tokens: sum.input, output_tokens: sum.output, duration_ms: ms, tool_calls: adapter.toolCalls } });
    else process.stderr.write(`${JSON.stringify({ error: { type: 'api_error', message, code: 1 } })}\n`);
    process.exit(1);
  }
  if (format === 'text') process.stdout.write(`${adapter.lastAnswer}\n`);
  else if (format === 'stream-json') out({ type: 'result', timestamp: clock().toISOString(), status: 'success', stats: { total_tokens: sum.total, input_tokens: sum.input, output_tokens: sum.output, duration_ms: ms, tool_calls: adapter.toolCalls } });
  else {
    process.stdout.write(`${JSON.stringify({
      session_id: sessionId,
      response: adapter.lastAnswer,
      stats: {
        models: { [model]: { api: { totalRequests: requests, totalErrors: 0, totalLatencyMs: ms }, tokens: { prompt: sum.input, candidates: sum.output, total: sum.total, cached: sum.cached, thoughts: sum.thoughts, tool: sum.tool } } },
        tools: { totalCalls: adapter.toolCalls, totalSuccess: adapter.toolCalls, totalFail: 0, totalDurationMs: ms, totalDecisions: { accept: 0, reject: 0, modify: 0, auto_accept: adapter.toolCalls }, byName: {} },
        files: { totalLinesAdded: 0, totalLinesRemoved: 0 },
      },
    }, null, 2)}\n`);
  }
  chat.close();
  process.exit(0);
} else {
  const initial = typeof f.promptInteractive === 'string' ? f.promptInteractive : parsed.positionals.join(' ');
  const app = new InteractiveApp({
    ui: geminiUi({ cwd, model, version: GEMINI_VERSION, branch: gitBranch(cwd), approvalMode, exitLines: () => ['', 'Agent powering down. Goodbye!', '', `  Session ID: ${sessionId}`] }),
    scenario, rng, pool,
    ...(initial !== '' ? { initialPrompt: initial } : {}),
    driver: {
      adapter: createGeminiAdapter({ chat, rng, cwd, clock }),
      skipsPermission: (tool) => approvalMode === 'yolo' || (approvalMode === 'auto_edit' && tool.kind === 'read'),
      start: async () => undefined,
      queued: () => undefined,
      dequeued: () => undefined,
      idle: async () => undefined,
      exit: async () => undefined,
    },
  });
  await app.start();
}
