import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TextPool } from '../content.js';
import { claudeConfigDir, claudeProjectDir, claudeTranscriptPath } from '../paths.js';
import { planTurn } from '../plan.js';
import { appendSinkFactory } from '../records/line-sink.js';
import { CLAUDE_DEFAULT_MODEL, CLAUDE_VERSION, ClaudeTranscript, type ClaudeRecord } from '../records/claude-transcript.js';
import { Rng } from '../rng.js';
import { turnKnobs } from '../scenario.js';
import { isProblem, parseArgs, UUID_RE, type FlagSpec } from './common/args.js';
import { InteractiveApp } from './common/interactive-app.js';
import { runTurn } from './common/turn-runner.js';
import { gitBranch, loadFakeEnvironment, readStdin } from './common/util.js';
import { createClaudeAdapter } from './claude/claude-adapter.js';
import { ClaudeHooks } from './claude/claude-hooks.js';
import { ClaudeResultTotals, claudeStreamEvent } from './claude/claude-print.js';
import { claudeUi } from './claude/claude-ui.js';

const MODES = ['default', 'plan', 'acceptEdits', 'bypassPermissions'] as const;
const SPECS: FlagSpec[] = [
  { names: ['--model'], key: 'model', value: 'required' },
  { names: ['--permission-mode'], key: 'permissionMode', value: 'required', choices: MODES },
  { names: ['--dangerously-skip-permissions'], key: 'skip', value: 'none' },
  { names: ['--session-id'], key: 'sessionId', value: 'required' },
  { names: ['-r', '--resume'], key: 'resume', value: 'required' },
  { names: ['-c', '--continue'], key: 'continue', value: 'none' },
  { names: ['--fork-session'], key: 'fork', value: 'none' },
  { names: ['-p', '--print'], key: 'print', value: 'none' },
  { names: ['--output-format'], key: 'outputFormat', value: 'required', choices: ['text', 'json', 'stream-json'] },
  { names: ['--settings'], key: 'settings', value: 'required' },
  { names: ['--verbose'], key: 'verbose', value: 'none' },
  { names: ['-v', '--version'], key: 'version', value: 'none' },
  { names: ['-h', '--help'], key: 'help', value: 'none' },
];
const ALIASES: Record<string, string> = { sonnet: CLAUDE_DEFAULT_MODEL, opus: 'claude-opus-4-1-20250805', haiku: 'claude-haiku-4-5-20251001' };

function die(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

const parsed = parseArgs(process.argv.slice(2), SPECS);
if (isProblem(parsed)) {
  if (parsed.kind === 'unknown') die(`error: unknown option '${parsed.flag}'`);
  if (parsed.kind === 'missing-value') die(`error: option '${parsed.flag} <value>' argument missing`);
  die(`error: option '${parsed.flag}' argument '${parsed.value}' is invalid. Allowed choices are ${parsed.choices.join(', ')}.`);
}
const f = parsed.flags;
const positionals = parsed.positionals;
if (f.version) {
  process.stdout.write(`${CLAUDE_VERSION} (Claude Code)\n`);
  process.exit(0);
}
if (f.help) {
  process.stdout.write('Usage: claude [options] [command] [prompt]\n\nClaude Code (agentmux fake) - starts an interactive session by default, use -p/--print for non-interactive output\n');
  process.exit(0);
}

const { scenario, clock } = loadFakeEnvironment('claude');
const cwd = process.cwd();
const configDir = claudeConfigDir();
const projectDir = claudeProjectDir(configDir, cwd);
const rng = new Rng();
const pool = new TextPool(rng);
const flagModel = typeof f.model === 'string' ? f.model : undefined;
const model = flagModel !== undefined ? (ALIASES[flagModel] ?? flagModel) : (scenario.model ?? CLAUDE_DEFAULT_MODEL);
const permissionMode: string = f.skip ? 'bypassPermissions' : typeof f.permissionMode === 'string' ? f.permissionMode : 'default';
const outputFormat = typeof f.outputFormat === 'string' ? f.outputFormat : 'text';
if (f.print && outputFormat === 'stream-json' && !f.verbose) die('Error: When using --print, --output-format=stream-json requires --verbose');

// ---- session selection ----
let resumeFrom: string | undefined;
if (typeof f.resume === 'string') {
  if (!existsSync(claudeTranscriptPath(configDir, cwd, f.resume))) die(`No conversation found with session ID: ${f.resume}`);
  resumeFrom = f.resume;
} else if (f.continue) {
  const files = existsSync(projectDir) ? readdirSync(projectDir).filter((n) => n.endsWith('.jsonl')) : [];
  const latest = files.map((n) => ({ n, m: statSync(join(projectDir, n)).mtimeMs })).sort((a, b) => b.m - a.m)[0];
  if (!latest) die('No conversation found to continue');
  resumeFrom = latest.n.replace(/\.jsonl$/, '');
}
let sessionId: string;
if (typeof f.sessionId === 'string') {
  if (!UUID_RE.test(f.sessionId)) die('Error: Invalid session ID. Must be a valid UUID.');
  sessionId = f.sessionId;
  if (resumeFrom === undefined && existsSync(claudeTranscriptPath(configDir, cwd, sessionId))) die(`Error: Session ID ${sessionId} is already in use.`);
} else sessionId = resumeFrom !== undefined && !f.fork ? resumeFrom : rng.uuid();

let lastUuid: string | null = null;
let contextTokens = 0;
let history: ClaudeRecord[] = [];
if (resumeFrom !== undefined) {
  const lines = readFileSync(claudeTranscriptPath(configDir, cwd, resumeFrom), 'utf8').split('\n').filter((l) => l.trim() !== '');
  history = lines.flatMap((l) => {
    try {
      return [JSON.parse(l) as ClaudeRecord];
    } catch {
      return [];
    }
  });
  for (const r of history) {
    if (typeof r.uuid === 'string') lastUuid = r.uuid;
    const u = (r.message as { usage?: { cache_read_input_tokens?: number; cache_creation_input_tokens?: number; output_tokens?: number } } | undefined)?.usage;
    if (r.type === 'assistant' && u) contextTokens = (u.cache_read_input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + (u.output_tokens ?? 0);
  }
}

const transcript = new ClaudeTranscript({ configDir, cwd, sessionId, model, rng, clock, sinkFactory: appendSinkFactory, version: CLAUDE_VERSION, gitBranch: gitBranch(cwd), lastUuid, contextTokens });
if (resumeFrom !== undefined && sessionId !== resumeFrom) {
  for (const r of history) transcript.raw({ ...r, ...(r.sessionId !== undefined ? { sessionId } : {}) });
}
const hooks = new ClaudeHooks(configDir, cwd, typeof f.settings === 'string' ? f.settings : undefined, () => ({
  session_id: sessionId, transcript_path: transcript.path, cwd, permission_mode: permissionMode,
}));
const source = resumeFrom !== undefined ? 'resume' : 'startup';

if (f.print) {
  await printMode();
} else {
  const adapter = createClaudeAdapter({ transcript, hooks, rng, cwd });
  const app = new InteractiveApp({
    ui: claudeUi(cwd, () => permissionMode),
    scenario, rng, pool,
    ...(positionals[0] !== undefined ? { initialPrompt: positionals.join(' ') } : {}),
    driver: {
      adapter,
      skipsPermission: (tool) => permissionMode === 'bypassPermissions' || (permissionMode === 'acceptEdits' && tool.kind === 'read'),
      start: () => hooks.fire('SessionStart', { source, model }, source),
      queued: (text) => void transcript.queueOperation('enqueue', text),
      dequeued: () => void transcript.queueOperation('dequeue'),
      idle: () => hooks.fire('Notification', { message: 'Claude is waiting for your input', notification_type: 'idle_prompt' }, 'idle_prompt'),
      exit: (reason) => hooks.fire('SessionEnd', { reason }, reason),
    },
  });
  await app.start();
}

async function printMode(): Promise<void> {
  const prompt = positionals.length > 0 ? positionals.join(' ') : await readStdin();
  if (prompt.trim() === '') die('Error: Input must be provided either through stdin or as a prompt argument when using --print');
  const started = performance.now();
  const totals = new ClaudeResultTotals(model);
  const out = (obj: unknown): boolean => process.stdout.write(`${JSON.stringify(obj)}\n`);
  await hooks.fire('SessionStart', { source, model }, source);
  if (outputFormat === 'stream-json') {
    out({ type: 'system', subtype: 'init', cwd, session_id: sessionId, tools: ['Task', 'Bash', 'Glob', 'Grep', 'Read', 'Edit', 'Write', 'TodoWrite'], mcp_servers: [], model, permissionMode, slash_commands: [], apiKeySource: 'none', claude_code_version: CLAUDE_VERSION, output_style: 'default', agents: [], uuid: rng.uuid() });
  }
  const adapter = createClaudeAdapter({
    transcript, hooks, rng, cwd,
    onUsage: (u) => totals.add(u),
    onRecord: (r) => {
      const ev = outputFormat === 'stream-json' ? claudeStreamEvent(r, sessionId) : undefined;
      if (ev) out(ev);
    },
  });
  const plan = planTurn(prompt, turnKnobs(scenario, 0), rng, pool);
  const { crashAfterTurns, crashMode } = scenario;
  const crashMid = crashMode === 'mid-turn' && crashAfterTurns === 0;
  const outcome = await runTurn(plan, adapter, {
    phase: () => undefined, toolCalled: () => undefined, answered: () => undefined, outputTokens: () => undefined,
    skipsPermission: () => true, askPermission: async () => 'yes',
  }, { signal: new AbortController().signal, ...(crashMid ? { onFirstResponse: () => process.exit(1) } : {}) });
  if (crashAfterTurns !== undefined && crashMode !== 'mid-turn' && crashAfterTurns <= 1) process.exit(1);
  const isError = outcome !== 'completed';
  const text = isError ? (adapter.lastError ?? 'Error') : adapter.lastAnswer;
  const result = totals.result({ sessionId, text, isError, durationMs: performance.now() - started, uuid: rng.uuid() });
  if (outputFormat === 'text') process.stdout.write(`${text}\n`);
  else out(result);
  await hooks.fire('SessionEnd', { reason: 'other' }, 'other');
  transcript.close();
  process.exit(isError ? 1 : 0);
}
