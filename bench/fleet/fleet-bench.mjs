// Fleet benchmark: 50 fake agents (20 Claude, 15 Codex, 15 Gemini) in a private tmux server next to a history of
// 2,000 session files; measures the CPU of one Fleet poll (cold, steady, and with a transcript listing every poll),
// then runs `agentmux top` on the 50 agents and measures its CPU share and RSS.
// Usage: node --expose-gc --import ./packages/testkit/src/coordination-conformance/register-ts.mjs bench/fleet/fleet-bench.mjs [topSeconds=30] [--no-top] [--profile]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFleet } from '@agentmux/core';
import { claude } from '@agentmux/provider-claude';
import { codex } from '@agentmux/provider-codex';
import { gemini } from '@agentmux/provider-gemini';
import { IDLE_MARKERS, createPrivateTmux, fakeBinDir, fakeEnv, generateCorpus, waitFor, writeScenario } from '@agentmux/testkit';

const topSeconds = Number(process.argv[2] ?? 30);
const skipTop = process.argv.includes('--no-top');
const profile = process.argv.includes('--profile'); // writes the steady polls' CPU profile to fleet-steady.cpuprofile
const repo = fileURLToPath(new URL('../../', import.meta.url));
const loader = join(repo, 'packages/testkit/src/coordination-conformance/register-ts.mjs');
const TICK = 100; // USER_HZ
const home = realpathSync(mkdtempSync(join(tmpdir(), 'agentmux-fleetbench-')));
const env = fakeEnv({ home });
const tmux = createPrivateTmux('agentmux-fleetbench-tmux-');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n, d = 1) => n.toFixed(d);

/** CPU ms of this process (user+system) and of its reaped children (tmux calls). */
function cpuNow() {
  const u = process.cpuUsage();
  const stat = readFileSync('/proc/self/stat', 'latin1');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { self: (u.user + u.system) / 1000, children: ((Number(f[13]) + Number(f[14])) * 1000) / TICK };
}

function procCpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 1000) / TICK;
}

function procMem(pid) {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? 0);
  return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
}

async function measurePolls(fleet, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const a = cpuNow();
    const t0 = performance.now();
    await fleet.poll();
    const wall = performance.now() - t0;
    const b = cpuNow();
    out.push({ self: b.self - a.self, children: b.children - a.children, wall });
  }
  return out;
}

function report(label, polls) {
  const self = median(polls.map((p) => p.self));
  const children = median(polls.map((p) => p.children));
  const wall = median(polls.map((p) => p.wall));
  console.log(`${label.padEnd(34)} cpu ${fmt(self)} ms (+ tmux ${fmt(children)} ms) · wall ${fmt(wall)} ms · n=${polls.length}`);
  return self;
}

try {
  console.log('fleet bench: generating 2,000 session files …');
  const t0 = performance.now();
  let files = 0;
  for (const [provider, sessions] of [['claude', 800], ['codex', 600], ['gemini', 600]]) {
    const r = await generateCorpus({ provider, root: home, sessions, turnsPerSession: 3, seed: 7, targetBytes: sessions * 20_000 });
    files += r.files.length;
    // History is old: give each file the mtime of its place in the corpus (January 2026), as on a real machine.
    r.files.forEach((f, i) => {
      const t = new Date(Date.parse('2026-01-05T09:00:00Z') + i * 600_000);
      utimesSync(f, t, t);
    });
  }
  console.log(`  ${files} files (sessions + subagent files) in ${fmt((performance.now() - t0) / 1000)} s`);

  console.log('fleet bench: starting 50 fake agents in tmux …');
  const kinds = [...Array(20).fill('claude'), ...Array(15).fill('codex'), ...Array(15).fill('gemini')];
  const scenario = writeScenario({ toolCalls: 1, turnDurationMs: 300 }, join(home, 'scenarios'));
  const names = kinds.map((k, i) => `${k}-${String(i + 1).padStart(2, '0')}`);
  for (const [i, kind] of kinds.entries()) {
    const cwd = join(home, 'work', names[i]);
    mkdirSync(cwd, { recursive: true });
    const pass = { AGENTMUX_FAKE_SCENARIO: scenario };
    for (const k of ['HOME', 'CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'GEMINI_CLI_HOME']) pass[k] = env[k];
    await tmux.newSession(names[i], [join(fakeBinDir(), kind)], { cwd, env: pass, width: 100, height: 30 });
    // Gemini fakes update ~/.gemini/projects.json as they start; started all at once some entries are lost.
    if (kind === 'gemini') await new Promise((r) => setTimeout(r, 400));
  }
  for (const [i, kind] of kinds.entries()) {
    const marker = kind === 'claude' ? '? for shortcuts' : IDLE_MARKERS[kind];
    await waitFor(async () => (await tmux.capture(names[i])).includes(marker) || undefined, { timeoutMs: 60_000, description: `${names[i]} prompt` });
    await tmux.sendText(names[i], 'say hello');
    await tmux.sendKeys(names[i], 'Enter');
  }

  const base = { providers: [claude, codex, gemini], env, autoStart: false, hooks: false, tmuxDefaultServer: false, tmuxSockets: [tmux.socket], onlyTmuxPanes: true, stateDir: join(home, 'state') };
  const steady = createFleet({ ...base, rescanMs: 1e9 });
  const cold = await measurePolls(steady, 1);
  await waitFor(async () => {
    await steady.poll();
    const s = steady.snapshot();
    return (s.length === 50 && s.every((a) => a.sessionId && a.status.state === 'idle')) || undefined;
  }, { timeoutMs: 90_000, intervalMs: 500, description: '50 agents matched and idle' }).catch(() => undefined);
  const snap = steady.snapshot();
  const odd = snap.filter((a) => !a.sessionId || a.status.state !== 'idle').map((a) => `${a.name}:${a.sessionId ? '' : 'no-session:'}${a.status.state}:${a.status.decidedBy?.rule ?? '-'}`);
  if (odd.length) console.log(`  not matched or not idle: ${odd.join(' ')}`);
  globalThis.gc?.(); // setup garbage (corpus generation, cold reads) is not the poll's
  console.log(`  found ${snap.length} agents, ${snap.filter((a) => a.sessionId).length} with a session, ${snap.filter((a) => a.status.state === 'idle').length} idle; fleet cost $${snap.reduce((s, a) => s + (a.cost.usd ?? 0), 0).toFixed(2)}`);
  console.log('\none poll, 50 agents, 2,000 session files on disk (target ≤ 30 ms CPU):');
  report('cold (first poll: list + read all)', cold);
  let session;
  if (profile) {
    const { Session } = await import('node:inspector/promises');
    session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
  }
  const steadyCpu = report('steady (no new files)', await measurePolls(steady, 20));
  const mb = (n) => fmt(n / 1048576);
  const m0 = process.memoryUsage();
  globalThis.gc?.();
  const m1 = process.memoryUsage();
  console.log(`  memory of this process: heap ${mb(m0.heapUsed)} MiB (${mb(m1.heapUsed)} after gc), rss ${mb(m1.rss)} MiB`);
  if (session) {
    const { profile: prof } = await session.post('Profiler.stop');
    (await import('node:fs')).writeFileSync('fleet-steady.cpuprofile', JSON.stringify(prof));
    console.log('  profile written to fleet-steady.cpuprofile');
  }
  await steady.dispose();
  const listing = createFleet({ ...base, rescanMs: 0 });
  await listing.poll();
  const listingCpu = report('listing transcripts every poll', await measurePolls(listing, 10));
  await listing.dispose();
  // Defaults: poll every 2 s, list transcripts again every 10 s, i.e. one poll in five also lists.
  const avg = steadyCpu + (listingCpu - steadyCpu) / 5;
  console.log(`average poll at the defaults (1 in 5 lists)  cpu ${fmt(avg)} ms`);
  console.log(`  steady ${steadyCpu <= 30 ? 'PASS' : 'FAIL'} (≤ 30 ms) · average ${avg <= 30 ? 'PASS' : 'FAIL'} · a listing poll alone ${listingCpu <= 30 ? 'PASS' : 'FAIL'}`);

  if (!skipTop) {
  console.log(`\nagentmux top watching 50 agents for ${topSeconds} s (target ≤ 2% of one core, ≤ 100 MiB RSS):`);
  // The built CLI when there is one (what `pnpm build` makes), else the sources through the TypeScript loader.
  const dist = join(repo, 'packages/cli/dist/bin.js');
  const cli = existsSync(dist) ? [dist] : ['--import', loader, join(repo, 'packages/cli/src/bin.ts')];
  console.log(`  running ${existsSync(dist) ? 'packages/cli/dist/bin.js' : 'the sources through the TypeScript loader'}`);
  execFileSync(process.execPath, [...cli, '--help'], { stdio: 'ignore' }); // warms the transpile cache
  const topEnv = {};
  for (const k of ['HOME', 'CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'GEMINI_CLI_HOME']) topEnv[k] = env[k];
  const topPid = await tmux.newSession('top', [process.execPath, ...cli, 'top', '-S', tmux.socket, '--no-default-tmux', '--tmux-only', '--state-dir', join(home, 'state')], { cwd: home, env: topEnv, width: 100, height: 70 });
  await waitFor(async () => (await tmux.capture('top')).includes('50 agents') || undefined, { timeoutMs: 60_000, description: 'top to show 50 agents' });
  await new Promise((r) => setTimeout(r, 5000));
  const c0 = procCpuMs(topPid);
  const w0 = performance.now();
  await new Promise((r) => setTimeout(r, topSeconds * 1000));
  const share = ((procCpuMs(topPid) - c0) / (performance.now() - w0)) * 100;
  const mem = procMem(topPid);
  console.log(`  cpu ${fmt(share, 2)}% of one core (tmux calls included) · rss ${fmt(mem.rssMiB)} MiB (peak ${fmt(mem.hwmMiB)} MiB)`);
  console.log(`  cpu ${share <= 2 ? 'PASS' : 'FAIL'} · rss ${mem.hwmMiB <= 100 ? 'PASS' : 'FAIL'}`);
  }
} finally {
  await tmux.dispose();
  rmSync(home, { recursive: true, force: true });
}
