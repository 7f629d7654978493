// Fault benchmark (the full-size version of the fault tests in packages/core/src/coordination/file):
//  1. 16 claimer processes drain 10,000 tasks while random claimers are kill -9'd (and replaced);
//     checks 0 completed twice, 0 lost, nothing left leased.
//  2. writer processes are kill -9'd 1,000 times mid-write (4 lanes); after each kill the state must load,
//     and at the end every acknowledged write (the call returned before the kill) must be there.
// Usage: node bench/coordination/kill-bench.mjs [tasks=10000] [writerKills=1000] [baseDir=os.tmpdir()]
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileBackendModule, fmt } from './bench-util.mjs';

const tasks = Number(process.argv[2] ?? 10_000);
const writerKills = Number(process.argv[3] ?? 1_000);
const baseDir = process.argv[4] ?? tmpdir();
const fixtures = fileURLToPath(new URL('../../packages/core/src/coordination/file/__fixtures__/', import.meta.url));
const packageRoot = fileURLToPath(new URL('../../packages/core/', import.meta.url));
const { transpileTree } = await import(fileURLToPath(new URL('../../packages/testkit/src/coordination-conformance/transpile-tree.ts', import.meta.url)));
const { createFileCoordination } = await import(fileBackendModule);

const work = mkdtempSync(join(baseDir, 'agentmux-killbench-'));
const backendModule = transpileTree(fileURLToPath(new URL('../../packages/core/src/coordination/file/index.ts', import.meta.url)), join(work, 'js'), packageRoot);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const readdirSafe = (d) => {
  try {
    return readdirSync(d);
  } catch {
    return [];
  }
};
const lines = (f) => {
  try {
    return readFileSync(f, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
};
const start = (script, args) =>
  new Promise((resolve, reject) => {
    const child = fork(join(fixtures, script), [backendModule, ...args], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('message', () => resolve(child));
    child.once('exit', (code, signal) => reject(new Error(`${script} exited early (${code ?? signal})`)));
  });
const kill9 = (child) =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGKILL');
  });

// 1. Claimers.
{
  const dir = join(work, 'claims');
  const setup = await createFileCoordination({ dir });
  for (let i = 0; i < tasks; i += 500) {
    await setup.board.add(Array.from({ length: Math.min(500, tasks - i) }, (_, k) => ({ id: `t${i + k}`, title: `task ${i + k}`, priority: (i + k) % 5 })));
  }
  let started = 0;
  const live = new Set();
  const pending = [];
  const spawn = () => {
    const p = start('claim-worker.mjs', [dir, join(work, `ack-${started++}`), '5000', '5']).then((c) => {
      live.add(c);
      c.once('exit', () => live.delete(c));
    });
    pending.push(p);
    return p;
  };
  await Promise.all(Array.from({ length: 16 }, spawn));
  const t0 = Date.now();
  let kills = 0;
  for (;;) {
    const s = await setup.board.stats();
    if (s.done + s.dead === tasks) break;
    if (live.size > 8) {
      const victims = [...live];
      const victim = victims[Math.floor(Math.random() * victims.length)];
      live.delete(victim);
      await kill9(victim);
      kills += 1;
      void spawn();
    }
    await sleep(50 + Math.random() * 100);
  }
  const seconds = (Date.now() - t0) / 1000;
  await Promise.all(pending);
  await Promise.all([...live].map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r)))));
  const acks = Array.from({ length: started }, (_, i) => lines(join(work, `ack-${i}`))).flat();
  const journal = lines(join(dir, 'board', 'journal.jsonl')).map((l) => JSON.parse(l));
  const completions = new Map();
  for (const e of journal) if (e.type === 'task-completed') completions.set(e.task, (completions.get(e.task) ?? 0) + 1);
  const twice = [...completions.values()].filter((n) => n > 1).length + (acks.length - new Set(acks).size);
  const s = await setup.board.stats();
  console.log(`claimers: ${fmt(tasks)} tasks, 16 processes, ${kills} kill -9s in ${seconds.toFixed(1)} s`);
  console.log(`  completed twice: ${twice}   lost: ${tasks - s.done - s.dead}   dead: ${s.dead}   left leased: ${readdirSync(join(dir, 'board', 'leased')).length}   reclaimed leases: ${journal.filter((e) => e.type === 'task-reclaimed').length}`);
  await setup[Symbol.asyncDispose]();
}

// 2. Writers.
{
  const dir = join(work, 'writes');
  const lanes = 4;
  const ackFiles = [];
  let failedLoads = 0;
  const t0 = Date.now();
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let round = 0; round < writerKills / lanes; round += 1) {
        const ackFile = join(work, `w-${lane}-${round}`);
        ackFiles.push(ackFile);
        const child = await start('crash-writer.mjs', [dir, ackFile, `l${lane}r${round}`]);
        await sleep(5 + Math.random() * 40);
        await kill9(child);
        try {
          const b = await createFileCoordination({ dir });
          await b.board.stats();
          await b[Symbol.asyncDispose]();
        } catch (error) {
          failedLoads += 1;
          console.error(error);
        }
      }
    }),
  );
  const b = await createFileCoordination({ dir });
  const acked = ackFiles.flatMap(lines).map((l) => l.split(' '));
  const keys = new Set((await b.activity.query()).map((e) => e.payload.key));
  const inbox = join(dir, 'inboxes', 'crash-inbox');
  const msgs = new Set([...readdirSafe(join(inbox, 'new')), ...readdirSafe(join(inbox, 'cur'))].map((n) => n.split(/[~.]/)[0]));
  let lost = 0;
  for (const [kind, key] of acked) {
    if (kind === 'activity' && !keys.has(key)) lost += 1;
    if (kind === 'message' && !msgs.has(key)) lost += 1;
    if (kind === 'task' || kind === 'done') {
      const t = await b.board.get(key).catch(() => undefined);
      if (!t || (kind === 'done' && t.status !== 'done')) lost += 1;
    }
  }
  console.log(`writers: ${writerKills} kill -9s in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${fmt(acked.length)} acknowledged writes`);
  console.log(`  state failed to load: ${failedLoads}   acknowledged writes lost: ${lost}`);
  await b[Symbol.asyncDispose]();
}
rmSync(work, { recursive: true, force: true });
console.log(`  (load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}, ${process.version})`);
