#!/usr/bin/env node
// Cost benchmark: cold `agentmux costs --json --by session` against ccusage's native binary on a ~600 MB Claude
// corpus (wall, CPU, peak RSS, token totals), then the live index's incremental update time.
// Usage: node bench/costs/run.mjs [--runs 5] [--mb 600] [--sessions 220] [--turns 54] [--shape realistic|default]
//        [--replays] [--workers N] [--no-incremental]
// The default corpus has the `realistic` shape (many small lines, as real Claude histories: ccusage spends about the
// CPU and memory per MB it spends on a real 607 MB history). The corpus is generated once into .bench-data/costs/
// (gitignored) and reused. Prints figures; asserts nothing.
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildBenchBundles, repo } from './build.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' }, mb: { type: 'string', default: '600' }, sessions: { type: 'string', default: '220' },
    turns: { type: 'string', default: '54' }, shape: { type: 'string', default: 'realistic' },
    replays: { type: 'boolean', default: false }, workers: { type: 'string' }, 'no-incremental': { type: 'boolean', default: false },
  },
});
const runs = Number(values.runs);
const data = join(repo, '.bench-data/costs');
mkdirSync(data, { recursive: true });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const walk = (d) => readdirSync(d).flatMap((n) => { const p = join(d, n); return statSync(p).isDirectory() ? walk(p) : p.endsWith('.jsonl') ? [p] : []; });

const { bin, lib } = await buildBenchBundles();
const { generateCorpus, createCostIndex, claude, scanClaudeUsage } = await import(lib);

// 1. The corpus (generated once; written to a temp name and renamed, so a half-written corpus is never reused).
const name = `claude-${values.mb}mb-${values.sessions}s-${values.turns}t-${values.shape}${values.replays ? '-replays' : ''}`;
const corpus = join(data, name);
if (!existsSync(corpus)) {
  const tmp = `${corpus}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const t = performance.now();
  const r = await generateCorpus({ provider: 'claude', root: tmp, sessions: Number(values.sessions), turnsPerSession: Number(values.turns), seed: 1, targetBytes: Number(values.mb) * 1e6, subagentEvery: 7, sidechainReplays: values.replays, shape: values.shape });
  renameSync(tmp, corpus);
  console.log(`generated ${name}: ${r.files.length} files, ${(r.bytes / 1e6).toFixed(0)} MB, ${r.lines} lines in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
const configDir = join(corpus, '.claude');
const files = walk(configDir);
const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
const subagentFiles = files.filter((f) => f.includes('/subagents/')).length;
let lines = 0;
let usageLines = 0;
for (const f of files) {
  // page cache warm for both tools
  const text = readFileSync(f, 'latin1');
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines += 1;
  for (let i = text.indexOf('"usage"'); i !== -1; i = text.indexOf('"usage"', i + 1)) usageLines += 1;
}
console.log(`corpus: ${files.length} files (${subagentFiles} subagent), ${(bytes / 1e6).toFixed(0)} MB, ${lines} lines, ${usageLines} with "usage"`);
console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} (before the cold runs)`);

// 2. ccusage's native binary (copied out of node_modules to make it executable).
const ccSrc = join(repo, 'node_modules/.pnpm/@ccusage+ccusage-linux-x64@20.0.24/node_modules/@ccusage/ccusage-linux-x64/bin/ccusage');
const cc = join(data, 'ccusage-20.0.24');
if (existsSync(ccSrc) && !existsSync(cc)) {
  copyFileSync(ccSrc, `${cc}.tmp`);
  chmodSync(`${cc}.tmp`, 0o755);
  renameSync(`${cc}.tmp`, cc);
}
const home = mkdtempSync(join(tmpdir(), 'agentmux-bench-home-'));
const env = { PATH: process.env.PATH, CLAUDE_CONFIG_DIR: configDir, HOME: home, TZ: 'UTC' };

/** Runs a command under /usr/bin/time -v; returns wall ms, CPU ms, peak RSS MiB and stdout. */
function measure(cmd, args) {
  const timeFile = join(home, 'time.txt');
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', '-o', timeFile, cmd, ...args], { env, maxBuffer: 1 << 30, encoding: 'utf8' });
  const wall = performance.now() - t;
  if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr}`);
  const tv = readFileSync(timeFile, 'utf8');
  const num = (label) => Number(new RegExp(`${label}: ([\\d.]+)`).exec(tv)?.[1]);
  return { wall, cpu: (num('User time \\(seconds\\)') + num('System time \\(seconds\\)')) * 1000, rss: num('Maximum resident set size \\(kbytes\\)') / 1024, out: r.stdout };
}

const agentmuxArgs = [bin, 'costs', '--json', '--by', 'session', ...(values.workers ? ['--workers', values.workers] : [])];
const results = { ccusage: [], agentmux: [] };
let ccOut = null;
let amOut = null;
for (let i = 0; i < runs; i += 1) {
  if (existsSync(cc)) {
    const m = measure(cc, ['claude', 'session', '--json', '--offline']);
    results.ccusage.push(m);
    ccOut = m.out;
  }
  const m = measure(process.execPath, agentmuxArgs);
  results.agentmux.push(m);
  amOut = m.out;
}
const row = (label, ms) => ms.length === 0 ? `${label.padEnd(9)} (not installed)` :
  `${label.padEnd(9)} wall ${median(ms.map((m) => m.wall)).toFixed(0).padStart(6)} ms   cpu ${median(ms.map((m) => m.cpu)).toFixed(0).padStart(6)} ms   peak RSS ${median(ms.map((m) => m.rss)).toFixed(0).padStart(4)} MiB` +
  `   (wall ${ms.map((m) => m.wall.toFixed(0)).join(' ')}; cpu ${ms.map((m) => m.cpu.toFixed(0)).join(' ')})`;
console.log(`\ncold runs (median of ${runs}, alternating; load average now ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}):`);
console.log(row('ccusage', results.ccusage));
console.log(row('agentmux', results.agentmux));
if (results.ccusage.length > 0) {
  const w = median(results.agentmux.map((m) => m.wall)) / median(results.ccusage.map((m) => m.wall));
  const c = median(results.agentmux.map((m) => m.cpu)) / median(results.ccusage.map((m) => m.cpu));
  const perRun = results.agentmux.map((m, i) => (results.ccusage[i] ? m.cpu / results.ccusage[i].cpu : NaN));
  console.log(`ratio agentmux/ccusage: wall ${w.toFixed(2)} (goal <= 0.33), cpu-s ${c.toFixed(2)} (per alternating pair: ${perRun.map((x) => x.toFixed(2)).join(' ')}); agentmux peak RSS goal <= 150 MiB`);
}

// 3. Token totals: must be equal (on a corpus with sidechain replays the replay rule makes them differ; shown below).
const am = JSON.parse(amOut);
if (ccOut) {
  const ccj = JSON.parse(ccOut);
  const sum = (k) => ccj.sessions.reduce((n, s) => n + s[k], 0);
  const pairs = [['input', sum('inputTokens'), am.totals.inputTokens], ['output', sum('outputTokens'), am.totals.outputTokens], ['cache write', sum('cacheCreationTokens'), am.totals.cacheWriteTokens], ['cache read', sum('cacheReadTokens'), am.totals.cacheReadTokens]];
  console.log('\ntoken totals (ccusage vs agentmux):');
  for (const [k, a, b] of pairs) console.log(`  ${k.padEnd(12)} ${String(a).padStart(14)} ${String(b).padStart(14)} ${a === b ? 'equal' : `DIFFER by ${b - a}`}`);
  console.log(`  cost USD     ${ccj.totals.totalCost.toFixed(4).padStart(14)} ${am.totals.costUSD?.toFixed(4).padStart(14)}`);
  const bySession = new Map(am.rows.map((r) => [r.key, r]));
  const differing = ccj.sessions.filter((s) => { const r = bySession.get(s.sessionId); return !r || r.inputTokens !== s.inputTokens || r.outputTokens !== s.outputTokens || r.cacheWriteTokens !== s.cacheCreationTokens || r.cacheReadTokens !== s.cacheReadTokens; });
  console.log(`  sessions: ccusage ${ccj.sessions.length}, agentmux ${am.rows.length}, differing ${differing.length}`);
  if (differing.length > 0) {
    console.log('  ccusage dedups by message.id:requestId only; agentmux also drops a sidechain line whose message.id a main-chain');
    console.log('  line already has (a subagent replaying its parent\'s response: the main line is the billed one).');
  }
}

// 4. Incremental: 250 files in the live index, append 1 MB to one, time until the index has it.
if (!values['no-incremental']) {
  const dir = mkdtempSync(join(tmpdir(), 'agentmux-bench-live-'));
  const keepAlive = setInterval(() => {}, 1000); // fs.watch below is not persistent
  const mains = files.filter((f) => !f.includes('/subagents/'));
  const indexed = [...mains.slice(0, 100), ...files.filter((f) => f.includes('/subagents/')).slice(0, 150)];
  for (const f of indexed) cpSync(f, join(dir, 'projects', f.slice(join(configDir, 'projects').length)), { recursive: true });
  const provider = Object.assign(Object.create(claude), { scanUsage: scanClaudeUsage });
  const index = createCostIndex({ providers: [provider], env: { CLAUDE_CONFIG_DIR: dir, HOME: home }, pollMs: 60_000 });
  let t = performance.now();
  await index.ready;
  console.log(`\nlive index: ${index.snapshot().files} files, first scan ${(performance.now() - t).toFixed(0)} ms`);
  const target = join(dir, 'projects', mains[0].slice(join(configDir, 'projects').length));
  // 1 MB of assistant lines from other sessions (distinct message ids and uuids each time), prepared up front.
  const chunks = Array.from({ length: 7 }, (_, rep) => {
    const lines = readFileSync(mains[150 + rep], 'utf8').split('\n').filter((l) => l.includes('"type":"assistant"'));
    let chunk = '';
    for (const l of lines) { if (chunk.length >= 1_000_000) break; chunk += `${l}\n`; }
    return chunk;
  });
  const times = [];
  const cpu0 = process.cpuUsage();
  for (const chunk of chunks) {
    const done = new Promise((resolve) => index.once('cost-updated', resolve));
    t = performance.now();
    appendFileSync(target, chunk);
    await done;
    times.push(performance.now() - t);
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(`(CPU of this process over the ${times.length} updates: ${((cpu.user + cpu.system) / 1000 / times.length).toFixed(1)} ms each)`);
  console.log(`append ~1 MB to one of 250 files -> cost-updated: median ${median(times).toFixed(1)} ms (min ${Math.min(...times).toFixed(1)}, max ${Math.max(...times).toFixed(1)}; goal <= 20 ms)`);
  await index.close();
  clearInterval(keepAlive);
  rmSync(dir, { recursive: true, force: true });
}
rmSync(home, { recursive: true, force: true });
