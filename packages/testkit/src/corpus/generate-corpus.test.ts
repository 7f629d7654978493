import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TestkitArgumentError } from '../testkit-error.js';
import { generateCorpus, type CorpusOptions } from './generate-corpus.js';

const roots: string[] = [];
const tmp = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'agentmux-corpus-'));
  roots.push(dir);
  return dir;
};
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function treeHash(root: string): string {
  const h = createHash('sha256');
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else h.update(relative(root, full)).update('\0').update(readFileSync(full)).update('\0');
    }
  };
  walk(root);
  return h.digest('hex');
}

const parse = (path: string): Record<string, unknown>[] => readFileSync(path, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('generateCorpus', () => {
  const base: Omit<CorpusOptions, 'root' | 'provider'> = { sessions: 6, turnsPerSession: 5, seed: 42, subagentEvery: 4 };

  it.each(['claude', 'codex', 'gemini'] as const)('is deterministic for %s: the same seed gives byte-identical files', async (provider) => {
    const a = await generateCorpus({ ...base, provider, root: tmp() });
    const b = await generateCorpus({ ...base, provider, root: tmp() });
    expect(treeHash(a.root)).toBe(treeHash(b.root));
    expect(a.bytes).toBe(b.bytes);
    const c = await generateCorpus({ ...base, provider, root: tmp(), seed: 43 });
    expect(treeHash(c.root)).not.toBe(treeHash(a.root));
  });

  it('writes Claude sessions and subagent files in the real layout', async () => {
    const r = await generateCorpus({ ...base, provider: 'claude', root: tmp(), sidechainReplays: true });
    const mains = r.files.filter((f) => !f.includes('/subagents/'));
    const subs = r.files.filter((f) => f.includes('/subagents/'));
    expect(mains).toHaveLength(6);
    expect(subs.length).toBeGreaterThan(0);
    for (const f of mains) expect(relative(r.root, f)).toMatch(/^\.claude\/projects\/-home-dev-projects-[a-z-]+\/[0-9a-f-]{36}\.jsonl$/);
    for (const f of subs) expect(relative(r.root, f)).toMatch(/^\.claude\/projects\/[^/]+\/[0-9a-f-]{36}\/subagents\/agent-[0-9a-f]{8}\.jsonl$/);
    const sub = parse(subs[0] ?? '');
    expect(sub.every((l) => l.isSidechain === true && typeof l.agentId === 'string')).toBe(true);
    const replay = sub[sub.length - 1] as { message?: { id?: string } };
    const parentFile = (subs[0] ?? '').replace(/\/subagents\/.*$/, '.jsonl');
    const mainIds = new Set(parse(parentFile).map((l) => (l.message as { id?: string } | undefined)?.id));
    expect(mainIds.has(replay.message?.id)).toBe(true);
    const assistant = parse(mains[0] ?? '').filter((l) => l.type === 'assistant');
    expect(assistant.length).toBeGreaterThan(5);
    expect(r.sessionIds).toHaveLength(6);
  });

  it('writes no sidechain replays by default', async () => {
    const r = await generateCorpus({ ...base, provider: 'claude', root: tmp() });
    for (const f of r.files.filter((x) => x.includes('/subagents/'))) {
      const parentIds = new Set(parse(f.replace(/\/subagents\/.*$/, '.jsonl')).map((l) => (l.message as { id?: string } | undefined)?.id).filter(Boolean));
      expect(parse(f).some((l) => parentIds.has((l.message as { id?: string } | undefined)?.id))).toBe(false);
    }
  });

  it('writes Codex rollouts and Gemini chats in their layouts', async () => {
    const codex = await generateCorpus({ ...base, provider: 'codex', root: tmp(), startDate: '2026-03-04T10:00:00Z' });
    for (const f of codex.files) expect(relative(codex.root, f)).toMatch(/^\.codex\/sessions\/2026\/03\/\d\d\/rollout-2026-03-\d\dT\d\d-\d\d-\d\d-[0-9a-f-]{36}\.jsonl$/);
    expect(parse(codex.files[0] ?? '')[0]).toMatchObject({ type: 'session_meta' });
    const gemini = await generateCorpus({ ...base, provider: 'gemini', root: tmp() });
    for (const f of gemini.files) expect(relative(gemini.root, f)).toMatch(/^\.gemini\/tmp\/[a-z-]+\/chats\/session-\d{4}-\d\d-\d\dT\d\d-\d\d-[0-9a-f]{8}\.jsonl$/);
    const projects = JSON.parse(readFileSync(join(gemini.root, '.gemini', 'projects.json'), 'utf8')) as { projects: Record<string, string> };
    expect(Object.values(projects.projects).length).toBeGreaterThan(0);
  });

  it('lands near targetBytes', async () => {
    const target = 4 * 1024 * 1024;
    const r = await generateCorpus({ provider: 'claude', root: tmp(), sessions: 10, turnsPerSession: 10, seed: 7, targetBytes: target });
    const onDisk = r.files.reduce((n, f) => n + statSync(f).size, 0);
    expect(onDisk).toBe(r.bytes);
    expect(r.bytes / target).toBeGreaterThan(0.75);
    expect(r.bytes / target).toBeLessThan(1.25);
  });

  it('realistic shape: deterministic, many more and smaller lines, multi-line responses, bookkeeping lines', async () => {
    const opts = { provider: 'claude' as const, sessions: 4, turnsPerSession: 6, seed: 5, targetBytes: 1_000_000, subagentEvery: 3 };
    const a = await generateCorpus({ ...opts, root: tmp(), shape: 'realistic' });
    const b = await generateCorpus({ ...opts, root: tmp(), shape: 'realistic' });
    expect(treeHash(a.root)).toBe(treeHash(b.root));
    const plain = await generateCorpus({ ...opts, root: tmp() });
    expect(a.bytes / 1_000_000).toBeGreaterThan(0.75);
    expect(a.bytes / 1_000_000).toBeLessThan(1.25);
    expect(a.lines / a.bytes).toBeGreaterThan(2 * (plain.lines / plain.bytes));
    const records = a.files.flatMap(parse);
    const types = new Set(records.map((r) => r.type));
    for (const t of ['user', 'assistant', 'system', 'file-history-snapshot', 'progress']) expect(types.has(t), t).toBe(true);
    const ids = records.filter((r) => r.type === 'assistant').map((r) => (r.message as { id: string }).id);
    expect(new Set(ids).size).toBeLessThan(ids.length); // responses span several lines (one per content block)
    const subs = a.files.filter((f) => f.includes('/subagents/'));
    expect(subs.length).toBeGreaterThan(0);
    expect(Math.max(...subs.map((f) => parse(f).filter((r) => r.type === 'assistant').length))).toBeGreaterThan(4);
  });

  it('rejects bad options with a typed error naming the field', async () => {
    await expect(generateCorpus({ provider: 'claude', root: tmp(), sessions: 1, turnsPerSession: 1, seed: 1, shape: 'dense' as 'realistic' })).rejects.toThrow(/generateCorpus\.shape/);
    await expect(generateCorpus({ provider: 'claude', root: tmp(), sessions: 0, turnsPerSession: 1, seed: 1 })).rejects.toThrow(/generateCorpus\.sessions/);
    const err = await generateCorpus({ provider: 'nope' as 'claude', root: tmp(), sessions: 1, turnsPerSession: 1, seed: 1 }).catch((e: unknown) => e);
    expect(TestkitArgumentError.isInstance(err)).toBe(true);
    expect((err as TestkitArgumentError).field).toBe('generateCorpus.provider');
  });
});
