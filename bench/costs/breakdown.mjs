#!/usr/bin/env node
// Where the cold `agentmux costs` time goes: each stage of the Claude scan run alone on one thread over the bench
// corpus (CPU ms of this thread, median of --runs), cumulative stages first, then the main thread's share and the
// CLI's start-up. Usage: node bench/costs/breakdown.mjs [--corpus DIR] [--runs 3]   (run.mjs generates the corpus)
import { spawnSync } from 'node:child_process';
import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildBenchBundles, repo } from './build.mjs';

const { values } = parseArgs({ options: { corpus: { type: 'string', default: join(repo, '.bench-data/costs/claude-600mb-220s-54t-realistic/.claude') }, runs: { type: 'string', default: '3' } } });
const { bin, lib } = await buildBenchBundles();
const { describeClaudeTranscriptPath, scanClaudeUsageSync, scanClaudeUsageCompact, LineSkimmer, LineSpans, OneShotUsageDedup, UsageLedger } = await import(lib);
const walk = (d) => readdirSync(d).flatMap((n) => { const p = join(d, n); return statSync(p).isDirectory() ? walk(p) : p.endsWith('.jsonl') ? [p] : []; });
const paths = walk(values.corpus).sort();
const files = paths.map((p) => describeClaudeTranscriptPath(p));
const bytes = paths.reduce((n, p) => n + statSync(p).size, 0);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const USAGE = Buffer.from('"usage"');
const buf = Buffer.allocUnsafeSlow(1 << 20);

/** Reads every file in 1 MiB chunks (whole lines per chunk, as the scanner does) and calls `each(buf, end)`. */
function readAll(each) {
  for (const p of paths) {
    const fd = openSync(p, 'r');
    let pos = 0;
    let carry = 0;
    for (;;) {
      const n = readSync(fd, buf, carry, buf.length - carry, pos + carry);
      if (n === 0) break;
      const total = carry + n;
      const last = buf.lastIndexOf(10, total - 1);
      const end = last + 1;
      each(buf, end);
      buf.copyWithin(0, end, total);
      pos += end;
      carry = total - end;
    }
    closeSync(fd);
  }
}

const skimmer = new LineSkimmer();
const spans = new LineSpans();
const stages = [
  ['read (readSync, 1 MiB chunks)', () => readAll(() => {})],
  ['+ isUtf8 per chunk', () => readAll((b, end) => isUtf8(b.subarray(0, end)))],
  ['+ newline per line (memchr)', () => readAll((b, end) => { isUtf8(b.subarray(0, end)); for (let i = b.indexOf(10); i !== -1 && i < end; i = b.indexOf(10, i + 1)); })],
  ['+ "usage" search', () => readAll((b, end) => { isUtf8(b.subarray(0, end)); let u = -2; for (let s = 0, i = b.indexOf(10); i !== -1 && i < end; s = i + 1, i = b.indexOf(10, i + 1)) { if (u !== -1 && u < s) u = b.indexOf(USAGE, s); } })],
  ['+ skim of usage lines (grammar + spans)', () => readAll((b, end) => { isUtf8(b.subarray(0, end)); skimmer.resetBuffer(b); let u = -2; for (let s = 0, i = b.indexOf(10); i !== -1 && i < end; s = i + 1, i = b.indexOf(10, i + 1)) { if (u !== -1 && u < s) u = b.indexOf(USAGE, s); if (u !== -1 && u < i) skimmer.skim(b, s, i, spans); } })],
  ['scanClaudeUsageSync (records)', () => { for (const f of files) scanClaudeUsageSync(f); }],
];
const results = [];
for (const [label, fn] of stages) {
  const xs = [];
  for (let r = 0; r < Number(values.runs); r += 1) { const c = cpu(); fn(); xs.push(cpu() - c); }
  results.push([label, median(xs)]);
}
// What a worker does per file, and what the main thread does with the results.
const compactResults = [];
{
  const xs = [];
  for (let r = 0; r < Number(values.runs); r += 1) {
    compactResults.length = 0;
    const c = cpu();
    for (const f of files) compactResults.push(await scanClaudeUsageCompact(f));
    xs.push(cpu() - c);
  }
  results.push(['scanClaudeUsageCompact (worker: + possible winners + columns)', median(xs)]);
  const ys = [];
  for (let r = 0; r < Number(values.runs); r += 1) {
    const c = cpu();
    const ledger = new UsageLedger({ timeZone: 'UTC', keepHistory: false, dimensions: ['session'] });
    const dedup = new OneShotUsageDedup(ledger);
    for (const res of compactResults) dedup.add(res);
    dedup.finish();
    ledger.aggregate('session');
    ys.push(cpu() - c);
  }
  results.push(['main thread: OneShotUsageDedup + ledger (all files)', median(ys)]);
}
const rows = compactResults.reduce((n, r) => n + (r.compact?.count ?? r.records.length), 0);
console.log(`corpus: ${paths.length} files, ${(bytes / 1e6).toFixed(0)} MB; ${rows} records after per-file dedup; one thread, CPU ms, median of ${values.runs}`);
for (const [label, ms] of results) console.log(`  ${label.padEnd(64)} ${ms.toFixed(0).padStart(6)} ms  ${(bytes / 1e6 / (ms / 1000)).toFixed(0).padStart(5)} MB/s`);
const startup = (args) => {
  const xs = [];
  for (let r = 0; r < 5; r += 1) {
    const t = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: '/nonexistent' } });
    const [u, s] = t.stderr.trim().split('\n').at(-1).split(' ').map(Number);
    xs.push((u + s) * 1000);
  }
  return median(xs);
};
console.log(`start-up CPU (median of 5): node -e 0 ${startup(['-e', '0']).toFixed(0)} ms; agentmux --help ${startup([bin, '--help']).toFixed(0)} ms; agentmux costs --help ${startup([bin, 'costs', '--help']).toFixed(0)} ms`);
