import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generateCorpus } from '@agentmux/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandIo } from '../command.js';
import { main } from '../main.js';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const CCUSAGE = join(repo, 'node_modules/.pnpm/@ccusage+ccusage-linux-x64@20.0.24/node_modules/@ccusage/ccusage-linux-x64/bin/ccusage');
const installed = existsSync(CCUSAGE) && process.platform === 'linux' && process.arch === 'x64';
if (!installed) console.warn(`costs-ccusage.test: skipped, ccusage's native binary is not installed at ${CCUSAGE}`);

const tmp = mkdtempSync(join(tmpdir(), 'agentmux-ccusage-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const home = join(tmp, 'home');
mkdirSync(home);

interface Tokens { input: number; output: number; cacheWrite: number; cacheRead: number }
interface CcSession { sessionId: string; inputTokens: number; outputTokens: number; cacheCreationTokens: number; cacheReadTokens: number }

async function ccusage(configDir: string): Promise<Map<string, Tokens>> {
  const bin = join(tmp, 'ccusage');
  if (!existsSync(bin)) {
    copyFileSync(CCUSAGE, bin); // the package ships it without the executable bit
    chmodSync(bin, 0o755);
  }
  const { stdout } = await promisify(execFile)(bin, ['claude', 'session', '--json', '--offline'], {
    env: { PATH: process.env['PATH'], CLAUDE_CONFIG_DIR: configDir, HOME: home, TZ: 'UTC' },
    maxBuffer: 64 << 20,
  });
  const doc = JSON.parse(stdout) as { sessions: CcSession[] };
  return new Map(doc.sessions.map((s) => [s.sessionId, { input: s.inputTokens, output: s.outputTokens, cacheWrite: s.cacheCreationTokens, cacheRead: s.cacheReadTokens }]));
}

async function agentmux(configDir: string): Promise<Map<string, Tokens>> {
  let out = '';
  const io: CommandIo = { stdout: (t) => void (out += t), stderr: () => {}, stderrIsTty: false, stdoutIsTty: false, env: { CLAUDE_CONFIG_DIR: configDir, HOME: home, TZ: 'UTC' }, cwd: tmp };
  expect(await main(['costs', '--json', '--by', 'session', '--provider', 'claude'], io)).toBe(0);
  const doc = JSON.parse(out) as { rows: Array<{ key: string; inputTokens: number; outputTokens: number; cacheWriteTokens: number; cacheReadTokens: number }> };
  return new Map(doc.rows.map((r) => [r.key, { input: r.inputTokens, output: r.outputTokens, cacheWrite: r.cacheWriteTokens, cacheRead: r.cacheReadTokens }]));
}

const sum = (m: Map<string, Tokens>): Tokens => {
  const t = { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };
  for (const v of m.values()) for (const k of Object.keys(t) as Array<keyof Tokens>) t[k] += v[k];
  return t;
};
const walk = (d: string): string[] => readdirSync(d).flatMap((n) => {
  const p = join(d, n);
  return statSync(p).isDirectory() ? walk(p) : p.endsWith('.jsonl') ? [p] : [];
});

describe.skipIf(!installed)('agentmux costs equals ccusage 20.0.24 (native)', () => {
  it('gives the same tokens per session on a corpus without sidechain replays', async () => {
    const root = join(tmp, 'plain');
    await generateCorpus({ provider: 'claude', root, sessions: 8, turnsPerSession: 8, seed: 11, targetBytes: 3_000_000, subagentEvery: 3 });
    const configDir = join(root, '.claude');
    expect(walk(configDir).some((p) => p.includes('/subagents/'))).toBe(true);
    const [cc, am] = [await ccusage(configDir), await agentmux(configDir)];
    expect(cc.size).toBe(8);
    expect([...am.keys()].sort()).toEqual([...cc.keys()].sort());
    for (const [id, tokens] of cc) expect(am.get(id), id).toEqual(tokens);
  });

  it('differs on sidechain replays under another requestId: ccusage bills the copy again, agentmux bills the response once', async () => {
    const root = join(tmp, 'replays');
    await generateCorpus({ provider: 'claude', root, sessions: 6, turnsPerSession: 8, seed: 12, targetBytes: 2_000_000, subagentEvery: 2, sidechainReplays: true });
    const configDir = join(root, '.claude');
    const files = walk(configDir);
    // As generated, a replay repeats message.id AND requestId: both tools dedup it by that key and agree.
    const before = await ccusage(configDir);
    expect(sum(await agentmux(configDir))).toEqual(sum(before));
    // Give the replayed lines (sidechain lines repeating a main-chain message.id) another requestId, their own uuid
    // and a later timestamp, as a replay written by a later request would have (ccusage also treats a line with the
    // same message.id and timestamp as a duplicate). ccusage's key is message.id:requestId, so it bills the copy again;
    // agentmux's replay rule matches on message.id alone and lets the main-chain line win: a message id names one
    // API response, billed once, and the subagent's copy is that same response.
    const mainIds = new Set<string>();
    for (const f of files.filter((p) => !p.includes('/subagents/'))) {
      for (const line of readFileSync(f, 'utf8').split('\n')) if (line.includes('"type":"assistant"')) mainIds.add((JSON.parse(line) as { message: { id: string } }).message.id);
    }
    const replayed: Tokens = { input: 0, output: 0, cacheWrite: 0, cacheRead: 0 };
    for (const f of files.filter((p) => p.includes('/subagents/'))) {
      const lines = readFileSync(f, 'utf8').split('\n').map((line) => {
        if (!line.includes('"type":"assistant"')) return line;
        const rec = JSON.parse(line) as { requestId?: string; uuid?: string; timestamp: string; isSidechain?: boolean; message: { id: string; usage: { input_tokens: number; output_tokens: number; cache_creation_input_tokens: number; cache_read_input_tokens: number } } };
        if (!mainIds.has(rec.message.id)) return line;
        rec.requestId = `${rec.requestId ?? 'req'}_replayed`;
        rec.uuid = `${rec.uuid ?? 'line'}-replayed`; // a line of its own in the subagent file, written later
        rec.timestamp = new Date(Date.parse(rec.timestamp) + 1000).toISOString();
        const u = rec.message.usage;
        replayed.input += u.input_tokens;
        replayed.output += u.output_tokens;
        replayed.cacheWrite += u.cache_creation_input_tokens;
        replayed.cacheRead += u.cache_read_input_tokens;
        return JSON.stringify(rec);
      });
      writeFileSync(f, lines.join('\n'));
    }
    expect(replayed.output).toBeGreaterThan(0);
    const [cc, am] = [sum(await ccusage(configDir)), sum(await agentmux(configDir))];
    expect(am).toEqual(sum(before)); // agentmux: unchanged, each response billed once
    expect({ input: cc.input - am.input, output: cc.output - am.output, cacheWrite: cc.cacheWrite - am.cacheWrite, cacheRead: cc.cacheRead - am.cacheRead }).toEqual(replayed);
  });
});
