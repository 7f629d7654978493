import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { runCoordinationConformance } from '@agentmux/testkit';
import { createFileCoordination, type FileCoordinationBackend } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'agentmux-coord-conf-'));
let n = 0;
afterAll(() => rmSync(root, { recursive: true, force: true }));

runCoordinationConformance('file', async () => createFileCoordination({ dir: join(root, `b${(n += 1)}`) }), {
  connect: (backend) => ({
    module: fileURLToPath(new URL('./index.ts', import.meta.url)),
    exportName: 'createFileCoordination',
    args: [{ dir: (backend as FileCoordinationBackend).dir }],
  }),
  detectsDeadPids: true,
});
