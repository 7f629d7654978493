import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { geminiDirs, geminiTranscriptRoots, listGeminiTranscripts, locateTranscript, projectHash, resolveProjectRoot } from './paths.js';

const HOME = fileURLToPath(new URL('./__fixtures__/home', import.meta.url));
const LEGACY_HASH = '25f319ba4ffbaf5a46961555a70aacdaf526734526432d258d6181957902b3df';

describe('roots from the environment', () => {
  it('uses GEMINI_CLI_HOME (a comma list) over HOME', () => {
    expect(geminiDirs({ GEMINI_CLI_HOME: '/a, /b/.gemini ,,/a', HOME: '/h' })).toEqual(['/a/.gemini', '/b/.gemini']);
    expect(geminiTranscriptRoots({ HOME: '/home/u' })).toEqual(['/home/u/.gemini/tmp']);
  });
  it('explicit configDirs win over the env', () => {
    expect(geminiDirs({ GEMINI_CLI_HOME: '/a' }, ['/x'])).toEqual(['/x/.gemini']);
  });
});

describe('project ids', () => {
  it('hashes like the CLI and resolves slug, hash and marker folders', async () => {
    expect(projectHash('/work/legacy-project')).toBe(LEGACY_HASH);
    const gem = join(HOME, '.gemini');
    expect(await resolveProjectRoot(gem, 'demo-project')).toBe('/work/demo-project');
    expect(await resolveProjectRoot(gem, LEGACY_HASH)).toBe('/work/legacy-project');
    expect(await resolveProjectRoot(gem, 'other-slug', projectHash('/work/demo-project'))).toBe('/work/demo-project');
    expect(await resolveProjectRoot(gem, 'unknown')).toBeUndefined();
    expect(await resolveProjectRoot('/nonexistent/.gemini', 'x')).toBeUndefined();
  });
  it('locates a transcript inside tmp/<id>/chats', () => {
    expect(locateTranscript('/h/.gemini/tmp/p1/chats/session-x.jsonl')).toEqual({ geminiDir: '/h/.gemini', projectId: 'p1', projectDir: '/h/.gemini/tmp/p1' });
    expect(locateTranscript('/h/.gemini/tmp/p1/chats/parent/sub.jsonl')?.projectId).toBe('p1');
    expect(locateTranscript('/elsewhere/x.jsonl')).toBeNull();
  });
});

describe('listing transcripts', () => {
  it('lists main, subagent and legacy files with ids from their first record', async () => {
    const files = await listGeminiTranscripts(geminiTranscriptRoots({ HOME }));
    const rows = files.map((f) => [f.path.slice(HOME.length + 13), f.sessionId, f.kind, f.parentSessionId, f.projectKey]);
    expect(rows).toEqual([
      [`${LEGACY_HASH}/chats/session-2025-08-01T09-30-0a1b2c3d.json`, '0a1b2c3d-1234-4567-89ab-cdef01234567', 'main', undefined, LEGACY_HASH],
      ['demo-project/chats/5b2c1a9e-0f3d-4c1e-9a77-2f6e8d1b3c40/7d0e2f10-aaaa-4bbb-8ccc-ddddeeeeffff.jsonl', '7d0e2f10-aaaa-4bbb-8ccc-ddddeeeeffff', 'subagent', '5b2c1a9e-0f3d-4c1e-9a77-2f6e8d1b3c40', 'demo-project'],
      // the migrated .json beside its .jsonl is skipped
      ['demo-project/chats/session-2026-11-20T08-00-99990000.jsonl', '99990000-1111-4222-8333-444455556666', 'main', undefined, 'demo-project'],
      ['demo-project/chats/session-2026-11-21T10-00-5b2c1a9e.jsonl', '5b2c1a9e-0f3d-4c1e-9a77-2f6e8d1b3c40', 'main', undefined, 'demo-project'],
    ]);
    for (const f of files) {
      expect(f.providerId).toBe('gemini');
      expect(f.size).toBeGreaterThan(0);
      expect(Date.parse(f.mtime ?? '')).not.toBeNaN();
    }
  });

  describe('in a temp home', () => {
    let home: string;
    beforeEach(async () => {
      home = await mkdtemp(join(tmpdir(), 'gemini-paths-'));
    });
    afterEach(async () => {
      await rm(home, { recursive: true, force: true });
    });

    it('filters by since, falls back to the file name, and ignores missing roots', async () => {
      const chats = join(home, '.gemini/tmp/p/chats');
      await mkdir(chats, { recursive: true });
      await writeFile(join(chats, 'session-2026-01-01T00-00-deadbeef.jsonl'), 'garbage\n');
      await writeFile(join(chats, 'notes.txt'), 'x');
      const old = join(chats, 'session-2020-01-01T00-00-00000000.jsonl');
      await writeFile(old, '{"sessionId":"old-one","projectHash":"h"}\n');
      await utimes(old, new Date('2020-01-01'), new Date('2020-01-01'));
      const all = await listGeminiTranscripts([join(home, '.gemini/tmp'), join(home, 'missing/tmp')]);
      expect(all.map((f) => f.sessionId)).toEqual(['old-one', '2026-01-01T00-00-deadbeef']);
      const recent = await listGeminiTranscripts([join(home, '.gemini/tmp')], new Date('2021-01-01'));
      expect(recent.map((f) => f.sessionId)).toEqual(['2026-01-01T00-00-deadbeef']);
    });
  });
});
