import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openClaudeTranscript } from './parser.js';
import { claudeConfigDirs, claudeProjectDirName, claudeProjectRoots, describeClaudeTranscriptPath, listClaudeTranscripts } from './paths.js';

const fixtureConfig = fileURLToPath(new URL('./__fixtures__/config', import.meta.url));
const SID = '11111111-1111-4111-8111-111111111111';
const home = mkdtempSync(join(tmpdir(), 'agentmux-claude-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('claudeConfigDirs', () => {
  it('reads CLAUDE_CONFIG_DIR as a comma list, trimming blanks and expanding ~', () => {
    const env = { HOME: '/home/u', CLAUDE_CONFIG_DIR: ' /a/claude , ,~/work-claude,/a/claude' };
    expect(claudeConfigDirs(env)).toEqual(['/a/claude', '/home/u/work-claude']);
  });

  it('falls back to the existing defaults under HOME', () => {
    expect(claudeConfigDirs({ HOME: home })).toEqual([join(home, '.claude')]);
    mkdirSync(join(home, '.config', 'claude'), { recursive: true });
    expect(claudeConfigDirs({ HOME: home })).toEqual([join(home, '.config', 'claude')]);
    mkdirSync(join(home, '.claude'));
    expect(claudeConfigDirs({ HOME: home })).toEqual([join(home, '.claude'), join(home, '.config', 'claude')]);
    expect(claudeProjectRoots(claudeConfigDirs({ HOME: home }))).toEqual([
      join(home, '.claude', 'projects'),
      join(home, '.config', 'claude', 'projects'),
    ]);
  });
});

describe('claudeProjectDirName', () => {
  it('replaces every character outside [a-zA-Z0-9] with -', () => {
    expect(claudeProjectDirName('/home/dev/my-app')).toBe('-home-dev-my-app');
    expect(claudeProjectDirName('/Users/Ana María/src/app_v2.1')).toBe('-Users-Ana-Mar-a-src-app-v2-1');
  });

  it('cuts names over 200 characters and appends the base-36 hash', () => {
    const cwd = `/home/dev/${'x'.repeat(250)}`;
    const name = claudeProjectDirName(cwd);
    let h = 0;
    for (const ch of cwd) h = (h * 31 + ch.charCodeAt(0)) | 0;
    expect(name).toBe(`${cwd.replace(/[^a-zA-Z0-9]/g, '-').slice(0, 200)}-${Math.abs(h).toString(36)}`);
    expect(claudeProjectDirName(`/${'y'.repeat(199)}`)).toHaveLength(200);
  });
});

describe('listClaudeTranscripts', () => {
  it('lists main and subagent files with their sessions, skipping other files and missing roots', async () => {
    const roots = [join(fixtureConfig, 'projects'), join(home, 'nope', 'projects')];
    const files = await listClaudeTranscripts(roots);
    expect(files.map((f) => ({ ...f, mtime: typeof f.mtime, size: typeof f.size }))).toEqual([
      {
        path: join(fixtureConfig, 'projects', '-home-dev-my-app', `${SID}.jsonl`),
        providerId: 'claude', sessionId: SID, kind: 'main', projectKey: '-home-dev-my-app', size: 'number', mtime: 'string',
      },
      {
        path: join(fixtureConfig, 'projects', '-home-dev-my-app', SID, 'subagents', 'agent-a1b2c3d4.jsonl'),
        providerId: 'claude', sessionId: 'a1b2c3d4', parentSessionId: SID, kind: 'subagent', projectKey: '-home-dev-my-app',
        size: 'number', mtime: 'string',
      },
      {
        path: join(fixtureConfig, 'projects', '-home-dev-old-app', '22222222-2222-4222-8222-222222222222.jsonl'),
        providerId: 'claude', sessionId: '22222222-2222-4222-8222-222222222222', kind: 'main', projectKey: '-home-dev-old-app',
        size: 'number', mtime: 'string',
      },
    ]);
  });

  it('filters by mtime with since', async () => {
    expect(await listClaudeTranscripts([join(fixtureConfig, 'projects')], new Date(Date.now() + 60_000))).toEqual([]);
  });

  it('describes a path the same way as the listing', () => {
    const path = join(fixtureConfig, 'projects', '-home-dev-my-app', SID, 'subagents', 'agent-a1b2c3d4.jsonl');
    expect(describeClaudeTranscriptPath(path)).toEqual({
      path, providerId: 'claude', sessionId: 'a1b2c3d4', parentSessionId: SID, kind: 'subagent', projectKey: '-home-dev-my-app',
    });
  });
});

describe('older flat subagent layout', () => {
  it('lists projects/<enc>/agent-<id>.jsonl as a subagent whose parent comes from the records', async () => {
    const root = fileURLToPath(new URL('./__fixtures__/flat-config/projects', import.meta.url));
    const [file] = await listClaudeTranscripts([root]);
    expect(file).toMatchObject({ kind: 'subagent', sessionId: 'f1a7c0de', projectKey: '-home-dev-my-app' });
    expect(file?.parentSessionId).toBeUndefined();
    expect(describeClaudeTranscriptPath(file!.path)).toMatchObject({ kind: 'subagent', sessionId: 'f1a7c0de' });
    const delta = await openClaudeTranscript(file!).read();
    expect(delta.session).toMatchObject({ id: 'f1a7c0de', parentSessionId: SID });
    expect(delta.usage).toMatchObject([{ sessionId: SID, sourceSessionId: 'f1a7c0de', isSidechain: true, usage: { input: 12, output: 4, cacheWrite5m: 3000 } }]);
  });
});
