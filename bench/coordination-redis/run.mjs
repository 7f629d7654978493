// Redis coordination benchmark: lock acquire+release ops/s with 4 contending processes, and board
// claim+complete ops/s with 16 worker processes, against a private redis-server on a free loopback port
// (AOF on; `--fsync always|everysec`). Prints medians; asserts nothing.
// Usage: node bench/coordination-redis/run.mjs [--rounds 3] [--locks 500] [--tasks 4000] [--fsync always]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fmt, median, registerTs, runWorkers, startWorker, stopWorkers } from '../coordination/bench-util.mjs';

// Lets this process import the package's TypeScript sources (as the workers do).
await import(registerTs);

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    locks: { type: 'string', default: '500' },
    tasks: { type: 'string', default: '4000' },
    fsync: { type: 'string', default: 'always' },
  },
});
const rounds = Number(values.rounds);
const lockIterations = Number(values.locks);
const taskCount = Number(values.tasks);
const worker = fileURLToPath(new URL('./worker.mjs', import.meta.url));
const moduleUrl = fileURLToPath(new URL('../../packages/coordination-redis/src/index.ts', import.meta.url));

const port = await new Promise((resolve, reject) => {
  const s = createServer();
  s.once('error', reject);
  s.listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const dir = mkdtempSync(join(tmpdir(), 'agentmux-redis-bench-'));
const server = spawn(process.env.REDIS_SERVER ?? 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', values.fsync, '--dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (c) => {
    out += c;
    if (out.includes('Ready to accept connections')) resolve();
  });
  server.once('exit', (code) => reject(new Error(`redis-server exited (${code})`)));
});
server.stdout.resume();
const url = `redis://127.0.0.1:${port}`;

async function lockRound(r) {
  const workers = await Promise.all(Array.from({ length: 4 }, () => startWorker(worker)));
  const t0 = process.hrtime.bigint();
  const results = await runWorkers(workers, { go: true, kind: 'lock', url, prefix: `lock${r}:`, iterations: lockIterations });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  stopWorkers(workers);
  return { opsPerSec: (4 * lockIterations) / seconds, violations: results.reduce((a, x) => a + x.violations, 0) };
}

async function boardRound(r) {
  const { createRedisCoordination } = await import(moduleUrl);
  const prefix = `board${r}:`;
  const backend = await createRedisCoordination({ url, prefix });
  for (let i = 0; i < taskCount; i += 500) {
    await backend.board.add(Array.from({ length: Math.min(500, taskCount - i) }, (_, j) => ({ id: `t${i + j}`, title: 't', priority: (i + j) % 10 })));
  }
  const workers = await Promise.all(Array.from({ length: 16 }, () => startWorker(worker)));
  const t0 = process.hrtime.bigint();
  const results = await Promise.all(workers.map((w, i) => runWorkers([w], { go: true, kind: 'board', url, prefix, worker: `w${i}` }).then((x) => x[0])));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  stopWorkers(workers);
  const completed = results.reduce((a, x) => a + x.completed, 0);
  const stats = await backend.board.stats();
  await backend[Symbol.asyncDispose]();
  return { opsPerSec: completed / seconds, completed, done: stats.done };
}

const locks = [];
const claims = [];
let violations = 0;
let mismatches = 0;
try {
  for (let r = 0; r < rounds; r += 1) {
    const l = await lockRound(r);
    locks.push(l.opsPerSec);
    violations += l.violations;
    const b = await boardRound(r);
    claims.push(b.opsPerSec);
    if (b.completed !== taskCount || b.done !== taskCount) mismatches += 1;
    console.log(`round ${r + 1}: lock ${fmt(l.opsPerSec)} ops/s (violations ${l.violations}); board ${fmt(b.opsPerSec)} claim+complete/s (${b.completed}/${taskCount} completed)`);
  }
} finally {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
  rmSync(dir, { recursive: true, force: true });
}
console.log('');
console.log(`redis coordination, appendfsync ${values.fsync}, median of ${rounds} rounds:`);
console.log(`  lock acquire+release, 4 processes x ${lockIterations}: ${fmt(median(locks))} ops/s, mutual-exclusion violations: ${violations}`);
console.log(`  board claim+complete, 16 workers, ${taskCount} tasks:   ${fmt(median(claims))} tasks/s, rounds with lost/double completions: ${mismatches}`);
