import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TextPool } from '../content.js';
import { codexHome } from '../paths.js';
import { planTurn } from '../plan.js';
import { appendSinkFactory } from '../records/line-sink.js';
import { CODEX_DEFAULT_MODEL, CODEX_VERSION, CodexRollout, type CodexTokenUsage } from '../records/codex-rollout.js';
import { Rng } from '../rng.js';
import { turnKnobs } from '../scenario.js';
import { isProblem, parseArgs, type FlagSpec } from './common/args.js';
import { InteractiveApp } from './common/interactive-app.js';
import { runTurn } from './common/turn-runner.js';
import { gitBranch, loadFakeEnvironment, readStdin } from './common/util.js';
import { createCodexAdapter } from './codex/codex-adapter.js';
import { codexUi } from './codex/codex-ui.js';

const SPECS: FlagSpec[] = [
  { names: ['-m', '--model'], key: 'model', value: 'required' },
  { names: ['-s', '--sandbox'], key: 'sandbox', value: 'required', choices: ['read-only', 'workspace-write', 'danger-full-access'] },
  { names: ['-a', '--ask-for-approval'], key: 'approval', value: 'required', choices: ['untrusted', 'on-failure', 'on-request', 'never'] },
  { names: ['--full-auto'], key: 'fullAuto', value: 'none' },
  { names: ['--dangerously-bypass-approvals-and-sandbox', '--yolo'], key: 'yolo', value: 'none' },
  { names: ['-C', '--cd'], key: 'cd', value: 'required' },
  { names: ['-c', '--config'], key: 'config', value: 'required' },
  { names: ['-p', '--profile'], key: 'profile', value: 'required' },
  { names: ['--json'], key: 'json', value: 'none' },
  { names: ['--skip-git-repo-check'], key: 'skipGit', value: 'none' },
  { names: ['--last'], key: 'last', value: 'none' },
  { names: ['-V', '--version'], key: 'version', value: 'none' },
  { names: ['-h', '--help'], key: 'help', value: 'none' },
];

function die(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

const parsed = parseArgs(process.argv.slice(2), SPECS);
if (isProblem(parsed)) {
  if (parsed.kind === 'unknown') die(`error: unexpected argument '${parsed.flag}' found\n\n  tip: to pass '${parsed.flag}' as a value, use '-- ${parsed.flag}'\n\nUsage: codex [OPTIONS] [PROMPT]\n\nFor more information, try '--help'.`);
  if (parsed.kind === 'missing-value') die(`error: a value is required for '${parsed.flag} <VALUE>' but none was supplied\n\nFor more information, try '--help'.`);
  die(`error: invalid value '${parsed.value}' for '${parsed.flag} <VALUE>'\n  [possible values: ${parsed.choices.join(', ')}]\n\nFor more information, try '--help'.`);
}
const f = parsed.flags;
if (f.version) {
  process.stdout.write(`codex-cli ${CODEX_VERSION}\n`);
  process.exit(0);
}
if (f.help) {
  process.stdout.write('Codex CLI (agentmux fake)\n\nUsage: codex [OPTIONS] [PROMPT]\n       codex [OPTIONS] <COMMAND> [ARGS]\n\nCommands:\n  exec    Run Codex non-interactively\n  resume  Resume a previous interactive session\n');
  process.exit(0);
}
if (typeof f.cd === 'string') {
  try {
    process.chdir(f.cd);
  } catch {
    die(`Error: failed to change directory to ${f.cd}`);
  }
}

const { scenario, clock } = loadFakeEnvironment('codex');
const [sub, ...rest] = parsed.positionals;
const mode = sub === 'exec' || sub === 'e' ? 'exec' : sub === 'resume' ? 'resume' : 'interactive';
const cwd = process.cwd();
const home = codexHome();
const rng = new Rng();
const pool = new TextPool(rng);
const model = typeof f.model === 'string' ? f.model : (scenario.model ?? CODEX_DEFAULT_MODEL);
const approval = f.yolo ? 'never' : typeof f.approval === 'string' ? f.approval : f.fullAuto ? 'on-request' : mode === 'exec' ? 'never' : 'on-request';
const sandbox = f.yolo ? 'danger-full-access' : typeof f.sandbox === 'string' ? f.sandbox : f.fullAuto ? 'workspace-write' : 'read-only';
const skipApprovals = f.yolo === true || f.fullAuto === true || approval === 'never';

function listRollouts(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listRollouts(full));
    else if (/^rollout-.*\.jsonl$/.test(name)) out.push(full);
  }
  return out;
}

let existingPath: string | undefined;
let totals: CodexTokenUsage | undefined;
let contextTokens = 0;
let sessionId = rng.uuid();
if (mode === 'resume') {
  const all = listRollouts(join(home, 'sessions')).sort();
  const id = rest[0];
  existingPath = f.last ? all[all.length - 1] : id !== undefined ? all.find((p) => p.endsWith(`-${id}.jsonl`)) : undefined;
  if (id === undefined && !f.last) die('Error: specify a session id or --last (the fake has no session picker)');
  if (existingPath === undefined) die(`No saved session found with ID ${id ?? '(latest)'}. Run \`codex resume\` without an ID to choose from existing sessions.`);
  sessionId = /-([0-9a-f-]{36})\.jsonl$/.exec(existingPath)?.[1] ?? sessionId;
  for (const line of readFileSync(existingPath, 'utf8').split('\n')) {
    try {
      const rec = JSON.parse(line) as { type?: string; payload?: { type?: string; info?: { total_token_usage?: CodexTokenUsage; last_token_usage?: CodexTokenUsage } | null } };
      const info = rec.payload?.type === 'token_count' ? rec.payload.info : undefined;
      if (info?.total_token_usage) totals = info.total_token_usage;
      if (info?.last_token_usage) contextTokens = info.last_token_usage.input_tokens + info.last_token_usage.output_tokens;
    } catch {
      // skip torn or foreign lines
    }
  }
}

const startedAt = clock();
const rollout = new CodexRollout({
  home, cwd, sessionId, startedAt, model, rng, clock, sinkFactory: appendSinkFactory, source: mode === 'exec' ? 'exec' : 'cli',
  approvalPolicy: approval, sandboxMode: sandbox, gitBranch: gitBranch(cwd),
  ...(existingPath !== undefined ? { existingPath, contextTokens } : {}), ...(totals ? { totals } : {}),
});
if (existingPath === undefined) rollout.start();

if (mode === 'exec') {
  const arg = rest[0];
  const prompt = arg === undefined || arg === '-' ? await readStdin() : rest.join(' ');
  if (prompt.trim() === '') die('No prompt provided. Either specify one as an argument or pipe the prompt into stdin.');
  const out = (e: Record<string, unknown>): void => {
    if (f.json) process.stdout.write(`${JSON.stringify(e)}\n`);
  };
  out({ type: 'thread.started', thread_id: sessionId });
  const adapter = createCodexAdapter({ rollout, rng, cwd, onEvent: out });
  const { crashAfterTurns, crashMode } = scenario;
  const outcome = await runTurn(planTurn(prompt, turnKnobs(scenario, 0), rng, pool), adapter, {
    phase: () => undefined, toolCalled: () => undefined, answered: () => undefined, outputTokens: () => undefined,
    skipsPermission: () => true, askPermission: async () => 'yes',
  }, { signal: new AbortController().signal, ...(crashMode === 'mid-turn' && crashAfterTurns === 0 ? { onFirstResponse: () => process.exit(1) } : {}) });
  if (crashAfterTurns !== undefined && crashMode !== 'mid-turn' && crashAfterTurns <= 1) process.exit(1);
  if (!f.json) process.stdout.write(`${outcome === 'completed' ? adapter.lastAnswer : `ERROR: ${adapter.lastError ?? 'turn failed'}`}\n`);
  rollout.close();
  process.exit(outcome === 'completed' ? 0 : 1);
} else {
  const positional = mode === 'interactive' ? parsed.positionals.join(' ') : (f.last ? rest : rest.slice(1)).join(' ');
  const app = new InteractiveApp({
    ui: codexUi({
      cwd, model, version: CODEX_VERSION,
      exitLines: () => {
        const t = rollout.totals;
        return [
          `Token usage: total=${t.total_tokens} input=${t.input_tokens - t.cached_input_tokens} (+ ${t.cached_input_tokens} cached) output=${t.output_tokens} (reasoning ${t.reasoning_output_tokens})`,
          `To continue this session, run codex resume ${sessionId}`,
        ];
      },
    }),
    scenario, rng, pool,
    ...(positional !== '' ? { initialPrompt: positional } : {}),
    driver: {
      adapter: createCodexAdapter({ rollout, rng, cwd }),
      skipsPermission: () => skipApprovals,
      start: async () => undefined,
      queued: () => undefined,
      dequeued: () => undefined,
      idle: async () => undefined,
      exit: async () => undefined,
    },
  });
  await app.start();
}
