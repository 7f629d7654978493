// The pipeline example's logic (run.mjs starts it). Uses only the public API of @agentmux/core.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileCoordination } from '@agentmux/core';

const WORKERS = ['worker-1', 'worker-2', 'worker-3'];

/** The plan: work tasks with priorities, a dependency and a conditional task, then a review. */
export const PLAN = [
  { id: 'design-api', title: 'Design the public API', priority: 10 },
  { id: 'write-parser', title: 'Write the transcript parser', priority: 5 },
  { id: 'write-tests', title: 'Test the parser', dependencies: ['write-parser'] },
  { id: 'write-docs', title: 'Document the API', dependencies: ['design-api'] },
  { id: 'benchmark', title: 'Benchmark the parser', dependencies: ['write-parser'] },
  { id: 'fix-regression', title: 'Fix the regression', conditions: [{ task: 'benchmark', path: 'regressed', equals: true }] },
  { id: 'polish-cli', title: 'Polish the CLI output', priority: -1 },
];

/** Runs a prompt through the fake Claude CLI, non-interactively (argv array, HOME in a temp dir). */
function runFakeClaude(agent, prompt) {
  return new Promise((resolve, reject) => {
    execFile(agent.bin, ['-p', prompt, '--output-format', 'stream-json', '--verbose'], { env: agent.env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) return reject(error);
      const lines = stdout.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l));
      const result = lines.find((l) => l.type === 'result');
      const tools = lines.flatMap((l) => (l.type === 'assistant' ? l.message.content.filter((c) => c.type === 'tool_use').map((c) => c.name) : []));
      resolve({ summary: String(result?.result ?? '').slice(0, 60), tools, turns: result?.num_turns ?? null });
    });
  });
}

/** How a worker does a task: through a fake agent CLI when the testkit fakes are built, else a plain function. */
async function makeAgents(log) {
  let testkit;
  try {
    testkit = await import('@agentmux/testkit');
  } catch {
    testkit = undefined;
  }
  const bin = testkit ? join(testkit.fakeBinDir(), 'claude') : undefined;
  const built = bin && existsSync(join(testkit.fakeBinDir(), '..', 'dist', 'cli', 'fakes', 'claude.js'));
  if (!built) {
    log('  (fake agent CLIs not built: workers use plain functions)');
    return { mode: 'functions', work: async (_worker, task) => ({ summary: `did ${task.title}`, tools: [], turns: 0 }) };
  }
  const agents = new Map();
  for (const w of WORKERS) {
    const env = testkit.fakeEnv({ home: mkdtempSync(join(tmpdir(), `agentmux-pipeline-${w}-`)), scenario: { turnDurationMs: 100 } });
    agents.set(w, { bin, env });
  }
  log(`  workers drive the fake Claude CLI non-interactively: ${bin} -p … --output-format stream-json`);
  return { mode: 'fake-claude', work: (worker, task) => runFakeClaude(agents.get(worker), `${task.title} (${task.id})`) };
}

/** Runs the whole pipeline; returns a summary. `log` prints progress. */
export async function runPipeline({ dir = mkdtempSync(join(tmpdir(), 'agentmux-pipeline-')), log = console.log } = {}) {
  const t0 = Date.now();
  const ts = () => `${String(Date.now() - t0).padStart(5)} ms`;
  const coordination = await createFileCoordination({ dir });
  try {
    return await pipeline(coordination, dir, log, ts);
  } finally {
    await coordination[Symbol.asyncDispose]();
  }
}

async function pipeline(coordination, dir, log, ts) {
  log(`state: ${dir} (cat/jq the files under board/, activity/ …)`);
  const agents = await makeAgents(log);

  // 1. The planner fills the board.
  const work = PLAN.map((t) => ({ ...t, role: 'coder' }));
  await coordination.board.add([...work, { id: 'review', title: 'Review everything', role: 'reviewer', dependencies: work.map((t) => t.id).filter((id) => id !== 'fix-regression') }]);
  await coordination.activity.append({ actor: 'planner', type: 'plan-created', payload: { tasks: work.length + 1 } });
  await coordination.inboxes.send('worker-2', { from: 'planner', body: 'Please keep the parser streaming.' });
  log(`${ts()}  planner   added ${work.length + 1} tasks`);

  // 2. Three workers claim, work and complete; then wait at the barrier.
  const barrier = await coordination.barriers.get('workers-done', { parties: WORKERS.length });
  const remaining = async () => (await coordination.board.list()).filter((t) => t.role === 'coder' && ['blocked', 'ready', 'running'].includes(t.status)).length;
  const worker = async (name) => {
    let done = 0;
    for (;;) {
      for (const m of await coordination.inboxes.receive(name)) {
        log(`${ts()}  ${name}  got message from ${m.from}: "${m.body}"`);
        await coordination.inboxes.ack(name, m.id);
      }
      const claim = await coordination.board.claim({ worker: name, role: 'coder', leaseMs: 30_000 });
      if (!claim) {
        if ((await remaining()) === 0) break;
        await new Promise((r) => setTimeout(r, 25));
        continue;
      }
      log(`${ts()}  ${name}  claimed  ${claim.task.id} (attempt ${claim.attempt})`);
      const heartbeat = setInterval(() => void claim.heartbeat().catch(() => undefined), 10_000);
      try {
        const out = await agents.work(name, claim.task);
        const result = { ...out, ok: true, ...(claim.task.id === 'benchmark' ? { regressed: false } : {}) };
        await claim.complete(result);
        await coordination.activity.append({ actor: name, type: 'task-completed', payload: { task: claim.task.id } });
        done += 1;
        log(`${ts()}  ${name}  finished ${claim.task.id}${out.tools.length ? ` (tools: ${out.tools.join(', ')})` : ''}`);
      } finally {
        clearInterval(heartbeat);
      }
    }
    log(`${ts()}  ${name}  waits at the barrier (${done} tasks done)`);
    await barrier.wait({ party: name, timeoutMs: 120_000 });
    return done;
  };
  const perWorker = await Promise.all(WORKERS.map(worker));
  log(`${ts()}  barrier   tripped: all ${WORKERS.length} workers are done`);

  // 3. The reviewer runs last.
  const review = await coordination.board.claim({ worker: 'reviewer', role: 'reviewer', leaseMs: 30_000 });
  if (!review) throw new Error('the review task was not ready after the barrier');
  const doneTasks = (await coordination.board.list({ status: 'done' })).filter((t) => t.role === 'coder');
  await review.complete({ approved: true, reviewed: doneTasks.map((t) => t.id) });
  await coordination.activity.append({ actor: 'reviewer', type: 'review-completed', payload: { approved: true } });
  log(`${ts()}  reviewer  approved ${doneTasks.length} tasks`);

  const stats = await coordination.board.stats();
  const skipped = (await coordination.board.list({ status: 'skipped' })).map((t) => `${t.id} (${t.skipReason})`);
  const events = await coordination.activity.query();
  log(`${ts()}  summary   ${stats.done} done, ${stats.skipped} skipped${skipped.length ? `: ${skipped.join('; ')}` : ''}; ${events.length} activity events; per worker ${perWorker.join('/')}`);
  return { mode: agents.mode, stats, perWorker, skipped, events: events.length, dir };
}
