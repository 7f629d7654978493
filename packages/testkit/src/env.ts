import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateScenario, type Scenario } from './scenario.js';

/** Absolute path of `packages/testkit/bin` (holds `claude`, `codex`, `gemini`, `agentmux-corpus`): prepend it to PATH. */
export function fakeBinDir(): string {
  return fileURLToPath(new URL('../bin', import.meta.url));
}

export interface FakeEnvOptions {
  /** Fake home directory; a new temp dir when absent. */
  home?: string;
  /** A scenario object (written to a temp file) or the path of a scenario file. */
  scenario?: Scenario | string;
  /** `AGENTMUX_FAKE_CLOCK_START` (ISO-8601). */
  clockStart?: string;
  /** Base environment (default `process.env`). */
  base?: Readonly<Record<string, string | undefined>>;
}

/**
 * An environment for running the fakes: PATH with the fake bin dir first, HOME, CLAUDE_CONFIG_DIR
 * (`<home>/.claude`), CODEX_HOME (`<home>/.codex`) and GEMINI_CLI_HOME (`<home>`) inside `home`.
 */
export function fakeEnv(options: FakeEnvOptions = {}): Record<string, string> {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'agentmux-home-'));
  mkdirSync(home, { recursive: true });
  const base = options.base ?? process.env;
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  delete env.AGENTMUX_FAKE_SCENARIO;
  delete env.AGENTMUX_FAKE_CLOCK_START;
  Object.assign(env, {
    PATH: [fakeBinDir(), base.PATH ?? ''].filter((p) => p !== '').join(delimiter),
    HOME: home,
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    CODEX_HOME: join(home, '.codex'),
    GEMINI_CLI_HOME: home,
  });
  if (options.scenario !== undefined) {
    env.AGENTMUX_FAKE_SCENARIO = typeof options.scenario === 'string' ? options.scenario : writeScenario(options.scenario, join(home, '.agentmux-scenarios'));
  }
  if (options.clockStart !== undefined) env.AGENTMUX_FAKE_CLOCK_START = options.clockStart;
  return env;
}

/** Validates `scenario` (throws `TestkitArgumentError` naming the field) and writes it atomically to a temp file; returns the path. */
export function writeScenario(scenario: Scenario, dir?: string): string {
  validateScenario(scenario);
  const target = dir ?? mkdtempSync(join(tmpdir(), 'agentmux-scenario-'));
  mkdirSync(target, { recursive: true });
  const file = join(target, `scenario-${process.pid}-${Date.now()}-${Math.floor(Math.random() * 1e9)}.json`);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(scenario, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  return file;
}
