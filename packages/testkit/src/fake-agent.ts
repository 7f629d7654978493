import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeBinDir, fakeEnv } from './env.js';
import { createPrivateTmux, type PrivateTmux } from './private-tmux.js';
import type { Scenario } from './scenario.js';
import { waitFor } from './wait-for.js';

export type FakeProvider = 'claude' | 'codex' | 'gemini';

export interface StartFakeAgentOptions {
  provider: FakeProvider;
  /** Extra CLI arguments, e.g. `['--session-id', id]`. */
  args?: string[];
  scenario?: Scenario;
  /** Fake home (default: a new temp dir, removed by `dispose`). */
  home?: string;
  /** Working directory (default: `<home>/project`). */
  cwd?: string;
  /** Reuse a tmux server (default: a new private one, killed by `dispose`). */
  tmux?: PrivateTmux;
  /** tmux session name (default: the provider name). */
  name?: string;
  width?: number;
  height?: number;
  /** Extra environment. */
  env?: Record<string, string>;
  /** Wait for the idle prompt before returning (default true). */
  waitForIdle?: boolean;
}

/** Text each fake shows at its idle prompt. */
export const IDLE_MARKERS: Record<FakeProvider, string> = { claude: '? for shortcuts', codex: '⏎ send', gemini: 'Type your message' };

/** A fake agent CLI running in a tmux pane. */
export interface FakeAgent extends AsyncDisposable {
  readonly tmux: PrivateTmux;
  readonly name: string;
  readonly home: string;
  readonly cwd: string;
  readonly env: Record<string, string>;
  readonly pid: number;
  capture(): Promise<string>;
  /** Types `text` (send-keys -l) then presses Enter. */
  submit(text: string): Promise<void>;
  /** Waits until the screen matches `pattern`; returns the screen. */
  waitForScreen(pattern: RegExp | string, timeoutMs?: number): Promise<string>;
  dispose(): Promise<void>;
}

/**
 * Starts a fake CLI (`claude`, `codex`, `gemini` from `fakeBinDir()`) in a private tmux server with an
 * isolated home, and waits for its idle prompt.
 */
export async function startFakeAgent(o: StartFakeAgentOptions): Promise<FakeAgent> {
  const home = o.home ?? realpathSync(mkdtempSync(join(tmpdir(), `agentmux-${o.provider}-`)));
  const cwd = o.cwd ?? join(home, 'project');
  mkdirSync(cwd, { recursive: true });
  const env = { ...fakeEnv({ home, ...(o.scenario ? { scenario: o.scenario } : {}) }), ...(o.env ?? {}) };
  const tmux = o.tmux ?? createPrivateTmux();
  const name = o.name ?? o.provider;
  const pass: Record<string, string> = {};
  for (const k of ['PATH', 'HOME', 'CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'GEMINI_CLI_HOME', 'AGENTMUX_FAKE_SCENARIO', ...Object.keys(o.env ?? {})]) {
    const v = env[k];
    if (v !== undefined) pass[k] = v;
  }
  const pid = await tmux.newSession(name, [join(fakeBinDir(), o.provider), ...(o.args ?? [])], { cwd, env: pass, width: o.width ?? 120, height: o.height ?? 40 });
  const capture = (): Promise<string> => tmux.capture(name);
  const waitForScreen = (pattern: RegExp | string, timeoutMs = 10_000): Promise<string> =>
    waitFor(async () => {
      const screen = await capture();
      return (typeof pattern === 'string' ? screen.includes(pattern) : pattern.test(screen)) ? screen : undefined;
    }, { timeoutMs, description: `screen of ${name} to show ${String(pattern)}` });
  const dispose = async (): Promise<void> => {
    if (o.tmux) await tmux.run('kill-session', '-t', name).catch(() => undefined);
    else await tmux.dispose();
    if (o.home === undefined) rmSync(home, { recursive: true, force: true });
  };
  if (o.waitForIdle !== false) {
    await waitForScreen(o.provider === 'claude' ? /\? for shortcuts|⏵⏵|⏸ plan mode/ : IDLE_MARKERS[o.provider]).catch(async (error: unknown) => {
      await dispose();
      throw error;
    });
  }
  return {
    tmux, name, home, cwd, env, pid, capture, waitForScreen, dispose,
    async submit(text) {
      await tmux.sendText(name, text);
      await tmux.sendKeys(name, 'Enter');
    },
    [Symbol.asyncDispose]: dispose,
  };
}
