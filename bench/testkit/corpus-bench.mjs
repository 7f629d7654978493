#!/usr/bin/env node
// Benchmark: time and peak memory of generating a transcript corpus with the testkit's corpus CLI.
// Usage: node bench/testkit/corpus-bench.mjs [--provider claude] [--sessions 200] [--turns 20] [--target-mb 600]
// Needs packages/testkit built (pnpm build, or any vitest run). Prints one JSON line of figures.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { provider: { type: 'string', default: 'claude' }, sessions: { type: 'string', default: '200' }, turns: { type: 'string', default: '20' }, 'target-mb': { type: 'string', default: '600' } } });
const bin = fileURLToPath(new URL('../../packages/testkit/bin/agentmux-corpus', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'agentmux-corpus-bench-'));
try {
  const args = ['--provider', values.provider, '--root', root, '--sessions', values.sessions, '--turns', values.turns, '--seed', '1', '--target-mb', values['target-mb']];
  const result = JSON.parse(execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8' }).trim());
  delete result.root;
  console.log(JSON.stringify({ ...result, mbPerSecond: Math.round(result.mb / result.seconds) }));
} finally {
  rmSync(root, { recursive: true, force: true });
}
