import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findCodexBinary } from './binary.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'codex-bin-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function script(path: string, body: string): string {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('findCodexBinary', () => {
  it('finds codex on env.PATH (first match wins) and reads its version', async () => {
    const first = join(dir, 'first');
    const second = join(dir, 'second');
    mkdirSync(first);
    mkdirSync(second);
    const expected = script(join(first, 'codex'), 'echo "codex-cli 0.63.0"');
    script(join(second, 'codex'), 'echo "codex-cli 9.9.9"');
    writeFileSync(join(dir, 'codex'), 'not executable');
    const info = await findCodexBinary({ PATH: [dir, first, second].join(':') });
    expect(info).toEqual({ path: expected, version: 'codex-cli 0.63.0' });
  });

  it('returns null when absent', async () => {
    expect(await findCodexBinary({ PATH: dir })).toBeNull();
    expect(await findCodexBinary({})).toBeNull();
  });

  it('uses a configured path and reports a null version when --version fails or hangs', async () => {
    const failing = script(join(dir, 'codex-broken'), 'exit 3');
    expect(await findCodexBinary({ PATH: '' }, failing)).toEqual({ path: failing, version: null });
    const hanging = script(join(dir, 'codex-hang'), 'exec /bin/sleep 30');
    expect(await findCodexBinary({ PATH: '' }, hanging, 300)).toEqual({ path: hanging, version: null });
  });
});
