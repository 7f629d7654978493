#!/usr/bin/env node
// The agentmux demo: five fake agents (Claude Code, Codex, Gemini; one loops burning tokens, one asks for
// permission) in a private tmux server, watched live by `agentmux top` with a per-agent budget that kills the
// looping one. Without a terminal on stdout it prints a few `agentmux ps` snapshots and the fleet's events, then
// exits (a smoke test). Everything runs in a temp home and is removed on exit.
//
// Environment: DEMO_BUDGET_USD (per-agent kill budget, default 1), DEMO_SNAPSHOTS (non-TTY: how many, default 3),
// DEMO_INTERVAL_MS (non-TTY: between snapshots, default 3000).
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, processIo } from '@agentmux/cli';
import { createFleet, createHookReceiver, installHookSettings } from '@agentmux/core';
import { claude, hookSettings } from '@agentmux/provider-claude';
import { codex } from '@agentmux/provider-codex';
import { gemini } from '@agentmux/provider-gemini';
import { IDLE_MARKERS, createPrivateTmux, fakeBinDir, fakeEnv, waitFor, writeScenario } from '@agentmux/testkit';

const AGENTS = [
  { name: 'claude-api', kind: 'claude', scenario: { toolCalls: 3, turnDurationMs: 6000 }, prompt: 'Add input validation to the API handlers' },
  { name: 'claude-review', kind: 'claude', scenario: { askPermission: true, toolCalls: 2, turnDurationMs: 2000 }, prompt: 'Run the test suite and fix what fails' },
  { name: 'codex-loop', kind: 'codex', scenario: { loop: true, turnDurationMs: 1500 }, prompt: 'Make the flaky reader test pass' },
  { name: 'codex-docs', kind: 'codex', scenario: { toolCalls: 2, turnDurationMs: 5000 }, prompt: 'Document the public API in the README' },
  { name: 'gemini-ui', kind: 'gemini', scenario: { toolCalls: 2, turnDurationMs: 5000 }, prompt: 'Tidy up the settings page layout' },
];

const budgetUsd = Number(process.env.DEMO_BUDGET_USD ?? '1');
const snapshots = Number(process.env.DEMO_SNAPSHOTS ?? '3');
const intervalMs = Number(process.env.DEMO_INTERVAL_MS ?? '3000');
const tty = Boolean(process.stdout.isTTY && process.stdin.isTTY);

const home = realpathSync(mkdtempSync(join(tmpdir(), 'agentmux-demo-')));
const stateDir = join(home, 'state');
const env = fakeEnv({ home });
const tmux = createPrivateTmux('agentmux-demo-tmux-');
let cleaned = false;

async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  await tmux.dispose().catch(() => undefined);
  rmSync(home, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    void cleanup().then(() => process.exit(130));
  });
}

const say = (text) => process.stderr.write(`demo: ${text}\n`);

async function startAgents() {
  const receiver = createHookReceiver({ dir: join(stateDir, 'hooks') });
  for (const a of AGENTS) {
    const cwd = join(home, 'work', a.name);
    mkdirSync(cwd, { recursive: true });
    // Claude agents report their status through hooks: a fixed script path, no user text in the command.
    if (a.kind === 'claude') installHookSettings(join(cwd, '.claude', 'settings.local.json'), hookSettings(receiver.command));
    const pass = { AGENTMUX_FAKE_SCENARIO: writeScenario(a.scenario, join(home, 'scenarios')) };
    for (const k of ['HOME', 'CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'GEMINI_CLI_HOME']) pass[k] = env[k];
    // tmux keeps its own PATH for new panes: the fake CLI is named by its absolute path.
    await tmux.newSession(a.name, [join(fakeBinDir(), a.kind)], { cwd, env: pass, width: 110, height: 30 });
  }
  for (const a of AGENTS) {
    const marker = a.kind === 'claude' ? /\? for shortcuts|⏵⏵/ : new RegExp(IDLE_MARKERS[a.kind].replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    await waitFor(async () => marker.test(await tmux.capture(a.name)) || undefined, { timeoutMs: 20_000, description: `${a.name} to show its prompt` });
    await tmux.sendText(a.name, a.prompt);
    await tmux.sendKeys(a.name, 'Enter');
  }
}

const fleetArgs = ['--socket', tmux.socket, '--no-default-tmux', '--tmux-only', '--state-dir', stateDir];
const io = { ...processIo(), env };

async function runTop() {
  say(`${AGENTS.length} fake agents running; per-agent budget $${budgetUsd} kills codex-loop. Press q to quit.`);
  await new Promise((r) => setTimeout(r, 1200));
  return main(['top', ...fleetArgs, '--poll', '1000', '--budget', `agent=${budgetUsd}:kill`], io);
}

async function runSnapshots() {
  // Budgets are enforced by a live fleet; print its events next to the `ps` snapshots.
  const fleet = createFleet({
    providers: [claude, codex, gemini],
    env,
    pollMs: 1000,
    tmuxDefaultServer: false,
    tmuxSockets: [tmux.socket],
    onlyTmuxPanes: true,
    stateDir,
    budgets: [{ scope: 'agent', maxUsd: budgetUsd, action: 'kill' }],
  });
  fleet.on('agent-added', (a) => say(`agent-added ${a.name} (${a.providerId}, pid ${a.pid})`));
  fleet.on('status-changed', (a, prev) => say(`status-changed ${a.name}: ${prev} -> ${a.status.state}`));
  fleet.on('budget-exceeded', (r) => say(`budget-exceeded: ${r.reason} -> ${r.action} (${Object.values(r.outcomes).join(', ')})`));
  fleet.on('agent-removed', (a) => say(`agent-removed ${a.name}`));
  fleet.on('provider-failed', (e) => say(`provider-failed ${e.providerId} ${e.operation}: ${e.error?.message ?? e.error}`));
  try {
    for (let i = 0; i < snapshots; i++) {
      await new Promise((r) => setTimeout(r, intervalMs));
      process.stdout.write(`\n$ agentmux ps   # snapshot ${i + 1}/${snapshots}\n`);
      const code = await main(['ps', ...fleetArgs], io);
      if (code !== 0) return code;
    }
    return 0;
  } finally {
    await fleet.dispose();
  }
}

let code = 1;
try {
  say(`starting the fleet in tmux -S ${tmux.socket} …`);
  await startAgents();
  code = tty ? await runTop() : await runSnapshots();
} catch (error) {
  process.stderr.write(`demo: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  code = 1;
} finally {
  await cleanup();
}
process.exit(code);
