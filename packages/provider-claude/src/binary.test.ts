import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findClaudeBinary, whichOnPath } from './binary.js';

const dir = mkdtempSync(join(tmpdir(), 'agentmux-claude-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(sub: string, body: string, mode = 0o755): string {
  mkdirSync(join(dir, sub), { recursive: true });
  const path = join(dir, sub, 'claude');
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, mode);
  return path;
}

const good = script('good', 'echo "2.0.31 (Claude Code)"');
script('noexec', 'echo nope', 0o644);
const slow = script('slow', 'exec /bin/sleep 5');
const failing = script('failing', 'exit 3');
mkdirSync(join(dir, 'dironly', 'claude'), { recursive: true });

describe('findClaudeBinary', () => {
  it('finds the first executable on env.PATH and reads its version', async () => {
    const PATH = ['', 'relative/dir', join(dir, 'dironly'), join(dir, 'noexec'), join(dir, 'good'), join(dir, 'failing')].join(':');
    expect(await findClaudeBinary({ PATH })).toEqual({ path: good, version: '2.0.31 (Claude Code)' });
  });

  it('returns null when nothing is on PATH', async () => {
    expect(await findClaudeBinary({ PATH: join(dir, 'noexec') })).toBeNull();
    expect(await findClaudeBinary({})).toBeNull();
  });

  it('uses an explicit binaryPath and gives a null version on failure or timeout', async () => {
    expect(await findClaudeBinary({ PATH: '' }, { binaryPath: failing })).toEqual({ path: failing, version: null });
    expect(await findClaudeBinary({ PATH: '' }, { binaryPath: slow, versionTimeoutMs: 200 })).toEqual({ path: slow, version: null });
    expect(await findClaudeBinary({ PATH: join(dir, 'good') }, { binaryPath: join(dir, 'missing') })).toBeNull();
  });

  it('whichOnPath skips directories named like the binary', async () => {
    expect(await whichOnPath('claude', join(dir, 'dironly'))).toBeNull();
  });
});
