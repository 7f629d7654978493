// Board benchmark: N tasks, 16 worker processes claiming + completing until the board is empty.
// Prints claims/s (claim + complete per task), median of the rounds, and checks 0 duplicates / 0 lost.
// Usage: node bench/coordination/board-bench.mjs [rounds=3] [tasks=10000] [workers=16] [baseDir=os.tmpdir()]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fileBackendModule, fmt, median, runWorkers, startWorker, stopWorkers } from './bench-util.mjs';

const rounds = Number(process.argv[2] ?? 3);
const tasks = Number(process.argv[3] ?? 10_000);
const workers = Number(process.argv[4] ?? 16);
const baseDir = process.argv[5] ?? tmpdir();
const worker = fileURLToPath(new URL('./board-worker.mjs', import.meta.url));
const { createFileCoordination } = await import(fileBackendModule);

const rates = [];
for (let r = 0; r < rounds; r += 1) {
  const dir = mkdtempSync(join(baseDir, 'agentmux-boardbench-'));
  const backend = await createFileCoordination({ dir });
  const t0 = Date.now();
  for (let i = 0; i < tasks; i += 500) {
    await backend.board.add(Array.from({ length: Math.min(500, tasks - i) }, (_, k) => ({ id: `t${i + k}`, title: `task ${i + k}`, priority: (i + k) % 10 })));
  }
  const addSeconds = (Date.now() - t0) / 1000;
  const procs = await Promise.all(Array.from({ length: workers }, () => startWorker(worker)));
  const start = process.hrtime.bigint();
  const results = await runWorkers(procs, { go: true, dir });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  stopWorkers(procs);
  const ids = results.flatMap((x) => x.ids);
  const duplicates = ids.length - new Set(ids).size;
  const stats = await backend.board.stats();
  await backend[Symbol.asyncDispose]();
  rmSync(dir, { recursive: true, force: true });
  const rate = ids.length / seconds;
  rates.push(rate);
  console.log(
    `round ${r + 1}: ${fmt(rate)} claims/s (${ids.length} tasks in ${seconds.toFixed(2)} s; add ${fmt(tasks / addSeconds)} tasks/s) ` +
      `duplicates ${duplicates} lost ${tasks - stats.done}`,
  );
}
console.log('');
console.log(`board, ${workers} worker processes x ${tasks} tasks (claim + complete), median of ${rounds}, in ${baseDir}:`);
console.log(`  agentmux file board: ${fmt(median(rates))} claims/s`);
console.log(`  (load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}, ${process.version})`);
