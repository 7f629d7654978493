// Lock benchmark: 4 forked processes increment a counter file under a lock; agentmux's file lock vs
// proper-lockfile with the same loop. Alternates the two, prints medians, ratio and violations.
// Usage: node bench/coordination/lock-bench.mjs [rounds=5] [iterationsPerProcess=500] [baseDir=os.tmpdir()]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, median, runWorkers, startWorker, stopWorkers } from './bench-util.mjs';

const rounds = Number(process.argv[2] ?? 5);
const iterations = Number(process.argv[3] ?? 500);
const baseDir = process.argv[4] ?? tmpdir();
const PROCS = 4;
const worker = fileURLToPath(new URL('./lock-worker.mjs', import.meta.url));

async function once(impl) {
  const dir = mkdtempSync(join(baseDir, `agentmux-lockbench-${impl}-`));
  writeFileSync(join(dir, 'counter'), `${'0'.padStart(15)}\n${'0'.padStart(15)}\n`);
  const workers = await Promise.all(Array.from({ length: PROCS }, () => startWorker(worker)));
  const t0 = process.hrtime.bigint();
  const results = await runWorkers(workers, { go: true, impl, dir, iterations });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  stopWorkers(workers);
  const total = PROCS * iterations;
  const counted = Number(readFileSync(join(dir, 'counter'), 'utf8').slice(0, 16).trim());
  const violations = results.reduce((a, r) => a + r.violations, 0) + Math.abs(total - counted);
  rmSync(dir, { recursive: true, force: true });
  return { opsPerSec: total / seconds, violations };
}

const ours = [];
const theirs = [];
let violations = { agentmux: 0, 'proper-lockfile': 0 };
for (let r = 0; r < rounds; r += 1) {
  for (const impl of r % 2 === 0 ? ['agentmux', 'proper-lockfile'] : ['proper-lockfile', 'agentmux']) {
    const res = await once(impl);
    (impl === 'agentmux' ? ours : theirs).push(res.opsPerSec);
    violations[impl] += res.violations;
    console.log(`round ${r + 1} ${impl.padEnd(16)} ${fmt(res.opsPerSec).padStart(8)} ops/s  violations ${res.violations}`);
  }
}
const a = median(ours);
const p = median(theirs);
console.log('');
console.log(`lock, ${PROCS} contending processes x ${iterations} increments, median of ${rounds} rounds, in ${baseDir}:`);
console.log(`  agentmux file lock : ${fmt(a).padStart(8)} ops/s   mutual-exclusion violations: ${violations.agentmux}`);
console.log(`  proper-lockfile 4  : ${fmt(p).padStart(8)} ops/s   mutual-exclusion violations: ${violations['proper-lockfile']}`);
console.log(`  ratio              : ${(a / p).toFixed(1)}x`);
console.log(`  (load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}, ${process.version})`);
