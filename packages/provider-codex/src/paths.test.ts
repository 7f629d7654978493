import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codexHomes, listCodexTranscripts, threadIdFromFileName } from './paths.js';
import { fixture } from './test-helpers.test-util.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'codex-paths-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const MAIN = '0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const SUB = '0199c000-0000-7000-8000-0000000000bb';
const rollout = (id: string, ext = '.jsonl') => `rollout-2026-11-20T10-00-00-${id}${ext}`;

function place(home: string, sub: string, name: string, source?: string): string {
  const dir = join(home, sub);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  if (source) copyFileSync(source, path);
  else writeFileSync(path, Buffer.from([0x28, 0xb5, 0x2f, 0xfd]));
  return path;
}

describe('codexHomes', () => {
  it('defaults to ~/.codex', () => {
    expect(codexHomes({ HOME: '/home/u' })).toEqual(['/home/u/.codex']);
  });

  it('reads CODEX_HOME as a comma list, trimmed and deduplicated', () => {
    expect(codexHomes({ HOME: '/home/u', CODEX_HOME: ' /a , ~/b,,/a ' })).toEqual(['/a', '/home/u/b']);
  });

  it('prefers configured directories over the environment', () => {
    expect(codexHomes({ HOME: '/home/u', CODEX_HOME: '/a' }, ['/x'])).toEqual(['/x']);
  });
});

describe('threadIdFromFileName', () => {
  it('reads the uuid from plain and compressed rollout names', () => {
    expect(threadIdFromFileName(`/x/${rollout(MAIN)}`)).toBe(MAIN);
    expect(threadIdFromFileName(rollout(MAIN, '.jsonl.zst'))).toBe(MAIN);
    expect(threadIdFromFileName('notes.jsonl')).toBeUndefined();
  });
});

describe('listCodexTranscripts', () => {
  it('lists sessions/ and archived_sessions/ across homes; sessions/ beats archived, plain beats .zst', async () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    const live = place(a, 'sessions/2026/11/20', rollout(MAIN), fixture('basic-session.jsonl'));
    place(a, 'sessions/2026/11/20', rollout(MAIN, '.jsonl.zst'));
    place(b, 'archived_sessions', rollout(MAIN), fixture('basic-session.jsonl'));
    const sub = place(b, 'sessions/2026/11/20', rollout(SUB), fixture('subagent-replay.jsonl'));
    const archivedOnly = place(b, 'archived_sessions', rollout('0199b000-0000-7000-8000-00000000000b'), fixture('totals-only.jsonl'));
    const zstOnly = place(a, 'sessions/2026/11/19', rollout('0199f000-0000-7000-8000-0000000000f0', '.jsonl.zst'));
    writeFileSync(join(a, 'sessions', 'notes.txt'), 'not a rollout');

    const files = await listCodexTranscripts([a, b]);
    const byPath = new Map(files.map((f) => [f.path, f]));
    expect(files).toHaveLength(4);
    expect(byPath.get(live)).toMatchObject({ sessionId: MAIN, kind: 'main', providerId: 'codex' });
    expect(byPath.get(live)?.archived).toBeUndefined();
    expect(byPath.get(sub)).toMatchObject({ sessionId: SUB, kind: 'subagent', parentSessionId: '0199c000-0000-7000-8000-0000000000aa' });
    expect(byPath.get(archivedOnly)).toMatchObject({ archived: true, kind: 'main' });
    expect(byPath.get(zstOnly)).toMatchObject({ sessionId: '0199f000-0000-7000-8000-0000000000f0', kind: 'main' });
    expect(typeof byPath.get(live)?.size).toBe('number');
    expect(byPath.get(live)?.mtime).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('filters by mtime with since', async () => {
    const old = place(root, 'sessions/2026/01/01', rollout(MAIN), fixture('basic-session.jsonl'));
    utimesSync(old, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'));
    place(root, 'sessions/2026/11/20', rollout(SUB), fixture('subagent-replay.jsonl'));
    const files = await listCodexTranscripts([root], new Date('2026-06-01T00:00:00Z'));
    expect(files.map((f) => f.sessionId)).toEqual([SUB]);
  });

  it('returns nothing for a missing home', async () => {
    expect(await listCodexTranscripts([join(root, 'nope')])).toEqual([]);
  });
});

describe('listCodexTranscripts with a meta cache', () => {
  it('peeks each rollout once and reuses what its first line said', async () => {
    const path = place(root, 'sessions/2026/11/20', rollout(SUB), fixture('subagent-replay.jsonl'));
    const cache = new Map();
    expect((await listCodexTranscripts([root], undefined, cache))[0]?.kind).toBe('subagent');
    expect(cache.has(path)).toBe(true);
    // Even if the first line became unreadable, the cached facts stand.
    writeFileSync(path, 'garbage\n');
    expect((await listCodexTranscripts([root], undefined, cache))[0]).toMatchObject({ kind: 'subagent', parentSessionId: '0199c000-0000-7000-8000-0000000000aa' });
    expect((await listCodexTranscripts([root]))[0]?.kind).toBe('main');
  });
});
