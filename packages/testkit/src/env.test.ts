import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { fakeBinDir, fakeEnv, writeScenario } from './env.js';
import { TestkitArgumentError } from './testkit-error.js';
import { waitFor, WaitForTimeoutError } from './wait-for.js';

describe('fakeEnv / fakeBinDir / writeScenario', () => {
  it('points PATH, HOME and the three config homes into the fake home', () => {
    const env = fakeEnv({ home: '/tmp/h', base: { PATH: '/usr/bin', AGENTMUX_FAKE_SCENARIO: '/stale' } });
    expect(env).toMatchObject({ HOME: '/tmp/h', CLAUDE_CONFIG_DIR: '/tmp/h/.claude', CODEX_HOME: '/tmp/h/.codex', GEMINI_CLI_HOME: '/tmp/h' });
    expect(env.PATH?.split(':')).toEqual([fakeBinDir(), '/usr/bin']);
    expect(env.AGENTMUX_FAKE_SCENARIO).toBeUndefined();
    for (const cli of ['claude', 'codex', 'gemini', 'agentmux-corpus']) expect(existsSync(join(fakeBinDir(), cli))).toBe(true);
  });

  it('writes a validated scenario file, and refuses an invalid one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentmux-env-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const path = writeScenario({ turnDurationMs: 5 }, dir);
    expect(path.startsWith(dir)).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ turnDurationMs: 5 });
    expect(fakeEnv({ home: '/tmp/h', scenario: path }).AGENTMUX_FAKE_SCENARIO).toBe(path);
    expect(() => writeScenario({ toolCalls: 9 })).toThrow(TestkitArgumentError);
  });
});

describe('waitFor', () => {
  it('returns the first truthy value and retries through throws', async () => {
    let n = 0;
    const v = await waitFor(() => {
      n++;
      if (n < 3) throw new Error('not yet');
      return n === 4 ? 'done' : false;
    }, { intervalMs: 1 });
    expect([v, n]).toEqual(['done', 4]);
  });

  it('times out with the last error as cause', async () => {
    const err = await waitFor(() => {
      throw new Error('boom');
    }, { timeoutMs: 20, intervalMs: 5, description: 'the thing' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WaitForTimeoutError);
    expect((err as Error).message).toContain('the thing');
    expect(((err as Error).cause as Error).message).toBe('boom');
  });
});
