import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { registerTsLoader } from '@agentmux/testkit';

const script = fileURLToPath(new URL('./run.mjs', import.meta.url));

/** `pnpm demo` without a terminal: prints `agentmux ps` snapshots of the five fake agents, then cleans up. */
describe('the demo fleet (non-TTY smoke run)', () => {
  it('starts five agents of three kinds, shows them in ps, and removes its tmux server and temp home', async () => {
    // Runs against the TypeScript sources (the loader maps @agentmux/* to packages/*/src), so no build is needed.
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', registerTsLoader, script], { env: { ...process.env, DEMO_SNAPSHOTS: '2', DEMO_INTERVAL_MS: '2000' }, timeout: 120_000 }, (error, out, err) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: out, stderr: err }),
      );
    });
    expect(code, stderr).toBe(0);
    const last = stdout.split('$ agentmux ps').at(-1) ?? '';
    for (const name of ['claude-api', 'claude-review', 'codex-loop', 'codex-docs', 'gemini-ui']) expect(last).toMatch(new RegExp(`^${name}\\s`, 'm'));
    expect(last).toMatch(/^\d agents .*· cost \$\d+\.\d\d$/m);
    expect(stderr).toMatch(/agent-added claude-review \(claude, pid \d+\)/);
    const socket = /tmux -S (\S+)/.exec(stderr)?.[1];
    expect(socket).toBeDefined();
    expect(existsSync(dirname(socket as string))).toBe(false);
  }, 150_000);
});
