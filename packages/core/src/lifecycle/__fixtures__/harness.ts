// Builds an agent manager over a real backend (tmux on a private socket, or pty) with the fake provider.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPtyBackend } from '../../backends/pty-backend.js';
import { createTmuxBackend } from '../../backends/tmux-backend.js';
import type { ProviderV1, SessionBackendV1 } from '../../spec/index.js';
import { createAgentManager, type AgentManager, type AgentManagerOptions } from '../agent-manager.js';
import type { AgentManagerEvents } from '../lifecycle-events.js';
import { createFakeProvider } from './fake-provider.js';

export type BackendKind = 'tmux' | 'pty';

export interface Harness {
  dir: string;
  stateDir: string;
  home: string;
  work: string;
  backend: SessionBackendV1;
  provider: ProviderV1;
  manager: AgentManager;
  events: { name: keyof AgentManagerEvents; payload: Record<string, unknown> }[];
  /** User texts of a session's transcript. */
  userTexts(sessionId: string): string[];
  /** The only session file's user texts (when the id is not known). */
  transcriptFiles(): string[];
  env(extra?: Record<string, string>): Record<string, string>;
  newManager(options?: Partial<AgentManagerOptions>): AgentManager;
  dispose(): Promise<void>;
}

const EVENTS: (keyof AgentManagerEvents)[] = [
  'agent-spawned', 'agent-resumed', 'agent-exited', 'agent-restarted', 'agent-failed', 'agent-killed', 'agent-stuck',
  'agent-looping', 'compaction-suggested', 'session-learned', 'message-queued', 'message-delivered', 'message-skipped',
  'turn-started', 'turn-ended', 'tool-started', 'agent-errored',
];

export function createHarness(kind: BackendKind, options: Partial<AgentManagerOptions> = {}, provider = createFakeProvider()): Harness {
  const dir = mkdtempSync(join(tmpdir(), `amx-life-${kind}-`));
  const stateDir = join(dir, 'state');
  const home = join(dir, 'home');
  const work = join(dir, 'work');
  mkdirSync(work, { recursive: true });
  const backend = kind === 'tmux' ? createTmuxBackend({ stateDir, killServerOnDispose: true }) : createPtyBackend();
  const managers: AgentManager[] = [];
  const events: Harness['events'] = [];
  const newManager = (extra: Partial<AgentManagerOptions> = {}) => {
    const m = createAgentManager({
      backend, stateDir, providers: [provider], env: { ...process.env, FAKE_HOME: home },
      watchdog: { intervalMs: 100, backoffBaseMs: 100, stableMs: 60_000 },
      send: { enterRetryMs: 600, transcriptGraceMs: 1500, timeoutMs: 10_000 },
      readyTimeoutMs: 10_000,
      ...options, ...extra,
    });
    managers.push(m);
    return m;
  };
  const manager = newManager();
  for (const name of EVENTS) manager.on(name, (payload: unknown) => events.push({ name, payload: payload as Record<string, unknown> }));
  const sessionFile = (id: string) => join(home, 'sessions', `${id}.jsonl`);
  return {
    dir, stateDir, home, work, backend, provider, manager, events, newManager,
    env: (extra = {}) => ({ FAKE_HOME: home, FAKE_WORK_MS: '100', ...extra }),
    userTexts(sessionId) {
      const file = sessionFile(sessionId);
      if (!existsSync(file)) return [];
      return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; text?: string }).filter((r) => r.type === 'user').map((r) => r.text ?? '');
    },
    transcriptFiles() {
      const d = join(home, 'sessions');
      return existsSync(d) ? readdirSync(d) : [];
    },
    async dispose() {
      for (const m of managers) await m[Symbol.asyncDispose]();
      for (const name of (await backend.list()).map((s) => s.name)) await backend.kill(name, { graceMs: 500 }).catch(() => undefined);
      await backend[Symbol.asyncDispose]();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
