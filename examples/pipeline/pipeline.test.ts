import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { registerTsLoader } from '@agentmux/testkit';

const dir = mkdtempSync(join(tmpdir(), 'agentmux-pipeline-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('runs the pipeline end to end: every task done or skipped, reviewer last', async () => {
  const script = fileURLToPath(new URL('./run.mjs', import.meta.url));
  // Run from the TypeScript sources (no build needed): the loader maps @agentmux/* to packages/*/src.
  const { stdout, code } = await new Promise<{ stdout: string; code: number | null }>((resolve) => {
    const child = execFile(process.execPath, ['--import', registerTsLoader, script, join(dir, 'state')], { timeout: 90_000 }, (_error, out) =>
      resolve({ stdout: out, code: child.exitCode }),
    );
  });
  expect(code, stdout).toBe(0);
  const lines = stdout.split('\n');
  expect(lines.some((l) => l.includes('planner   added 8 tasks'))).toBe(true);
  for (const w of ['worker-1', 'worker-2', 'worker-3']) expect(lines.some((l) => l.includes(`${w}  waits at the barrier`))).toBe(true);
  const tripped = lines.findIndex((l) => l.includes('barrier   tripped'));
  const reviewed = lines.findIndex((l) => l.includes('reviewer  approved 6 tasks'));
  expect(tripped).toBeGreaterThan(0);
  expect(reviewed).toBeGreaterThan(tripped);
  expect(lines.some((l) => l.includes('worker-2  got message from planner'))).toBe(true);
  expect(stdout).toContain('7 done, 1 skipped: fix-regression');
  // Every finished task is logged exactly once.
  for (const id of ['design-api', 'write-parser', 'write-tests', 'write-docs', 'benchmark', 'polish-cli']) {
    expect(lines.filter((l) => l.includes(`finished ${id}`))).toHaveLength(1);
  }
}, 120_000);
