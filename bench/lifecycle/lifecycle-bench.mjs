// Lifecycle benchmark with the testkit's fake `claude` (real-like UI, bracketed paste, real transcripts):
//  1. verified send: N prompts of ~10 KB, multi-line, with quotes/$()/unicode, each sent with
//     AgentManager.send() (paste + Enter + confirmation from the transcript); wall time per send and
//     byte-exactness against what the fake recorded in its transcript;
//  2. spawn: 20 agents spawned at once (spawn() resolved), then until every UI shows its idle prompt.
// Usage: node --import ./packages/testkit/src/coordination-conformance/register-ts.mjs bench/lifecycle/lifecycle-bench.mjs [sends=100] [agents=20] [backend=tmux|pty]
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAgentManager, createPtyBackend, createTmuxBackend } from '@agentmux/core';
import { createClaudeProvider } from '@agentmux/provider-claude';
import { claudeTranscriptPath, fakeBinDir, fakeEnv, writeScenario } from '@agentmux/testkit';

const sends = Number(process.argv[2] ?? 100);
const agents = Number(process.argv[3] ?? 20);
const kind = process.argv[4] ?? 'tmux';
const FAKE_CLAUDE = join(fakeBinDir(), 'claude');

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fmt = (ms) => `${ms.toFixed(1)} ms`;

/** A deterministic ~10 KB multi-line prompt that differs per index. */
function prompt(i) {
  const words = ['alpha', "it's", '"quoted"', '$(touch /tmp/x)', '; rm -rf ~', 'ünïcødé', '🚀', '`tick`', '\\back\\slash', '#{pane_pid}', 'tab\there', '100%'];
  const lines = [];
  let size = 0;
  for (let l = 0; size < 10_000; l++) {
    const line = `${i}.${l}: ${Array.from({ length: 12 }, (_, k) => words[(i * 7 + l * 3 + k) % words.length]).join(' ')}`;
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  return lines.join('\n');
}

function prompts(path) {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .filter((r) => r.type === 'user' && !r.isMeta && !r.isCompactSummary && typeof r.message?.content === 'string').map((r) => r.message.content);
}

const dir = mkdtempSync(join(tmpdir(), 'amx-lifebench-'));
const stateDir = join(dir, 'state');
const work = join(dir, 'work');
mkdirSync(work);
const env = fakeEnv({ home: join(dir, 'home') });
env.AGENTMUX_FAKE_SCENARIO = writeScenario({ turnDurationMs: 30, toolCalls: 0 }, join(dir, 'scenarios'));
const backend = kind === 'pty' ? createPtyBackend() : createTmuxBackend({ stateDir, killServerOnDispose: true });
const manager = createAgentManager({
  backend, stateDir, providers: [createClaudeProvider({ binaryPath: FAKE_CLAUDE })], env,
  passEnv: ['PATH', 'HOME', 'CLAUDE_CONFIG_DIR', 'AGENTMUX_FAKE_SCENARIO'], watchdog: false,
});

try {
  // 1. Verified send.
  const rec = await manager.spawn('claude', { name: 'sender', cwd: work });
  const transcript = claudeTranscriptPath(join(env.HOME, '.claude'), work, rec.sessionId);
  const times = [];
  const confirm = [];
  const sent = [];
  for (let i = 0; i < sends; i++) {
    const text = prompt(i);
    sent.push(text);
    // Time the delivery itself, not the wait for the previous turn to end.
    for (let w = 0; w < 500 && (await manager.status('sender')).state !== 'idle'; w++) await new Promise((r) => setTimeout(r, 10));
    const t0 = performance.now();
    const r = await manager.send('sender', text, { waitMs: 10_000 });
    times.push(performance.now() - t0);
    if (r.status !== 'delivered') throw new Error(`send ${i}: ${r.status} ${r.reason ?? ''}`);
    confirm.push(r.confirmedBy);
  }
  const got = prompts(transcript);
  const exact = sent.filter((t, i) => got[i] === t).length;
  const bad = sent.findIndex((t, i) => got[i] !== t);
  if (bad >= 0) {
    const g = got[bad] ?? '';
    const t = sent[bad];
    let k = 0;
    while (k < t.length && g[k] === t[k]) k++;
    console.log(`  first mismatch: prompt ${bad}: sent ${t.length} chars, recorded ${g.length}; differs at ${k}: sent ${JSON.stringify(t.slice(k, k + 40))} got ${JSON.stringify(g.slice(k, k + 40))}; next recorded starts ${JSON.stringify((got[bad + 1] ?? '').slice(0, 40))}`);
  }
  const bytes = Buffer.byteLength(sent[0]);
  console.log(`backend ${kind}`);
  console.log(`verified send of ${sends} multi-line prompts (~${(bytes / 1024).toFixed(1)} KB each), paste + Enter + transcript confirmation:`);
  console.log(`  median ${fmt(pct(times, 50))}  p90 ${fmt(pct(times, 90))}  p99 ${fmt(pct(times, 99))}  max ${fmt(Math.max(...times))}`);
  console.log(`  byte-exact in the fake's transcript: ${exact}/${sends} (extra prompts recorded: ${got.length - sends}); confirmed by ${[...new Set(confirm)].join(', ')}`);
  console.log(`  target: <= 150 ms and 100/100 byte-exact -> ${pct(times, 50) <= 150 && exact === sends ? 'met (median)' : 'NOT met'}${pct(times, 99) <= 150 ? ', p99 too' : ''}`);
  await manager.kill('sender', { graceMs: 500 });

  // 2. Spawn many.
  const t0 = performance.now();
  await Promise.all(Array.from({ length: agents }, (_, i) => manager.spawn('claude', { name: `fleet-${i}`, cwd: work })));
  const spawned = performance.now() - t0;
  const ready = new Set();
  while (ready.size < agents && performance.now() - t0 < 30_000) {
    for (let i = 0; i < agents; i++) {
      if (ready.has(i)) continue;
      const screen = await backend.capture(`fleet-${i}`).catch(() => '');
      if (/\? for shortcuts|⏵⏵/.test(screen)) ready.add(i);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const allReady = performance.now() - t0;
  console.log(`spawn of ${agents} agents at once: all spawn() calls resolved in ${fmt(spawned)} (target <= 2000 ms: ${spawned <= 2000 ? 'met' : 'NOT met'}); all UIs idle after ${fmt(allReady)} (${ready.size}/${agents})`);
  await Promise.all(Array.from({ length: agents }, (_, i) => manager.kill(`fleet-${i}`, { graceMs: 500 }).catch(() => undefined)));
} finally {
  await manager[Symbol.asyncDispose]();
  await backend[Symbol.asyncDispose]();
  rmSync(dir, { recursive: true, force: true });
}
