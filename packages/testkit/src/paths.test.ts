import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { claudeConfigDir, claudeProjectDir, codexHome, codexSessionPath, encodeClaudeCwd, geminiProjectId, geminiSessionFileName, geminiSlug } from './paths.js';

describe('paths', () => {
  it('encodes Claude project dirs: non-alphanumerics → "-", long paths cut to 200 + hash36', () => {
    expect(encodeClaudeCwd('/home/me/my_proj.v2')).toBe('-home-me-my-proj-v2');
    const long = `/home/${'x'.repeat(250)}`;
    const enc = encodeClaudeCwd(long);
    let h = 0;
    for (let i = 0; i < long.length; i++) h = (h * 31 + long.charCodeAt(i)) | 0;
    expect(enc).toBe(`${long.replace(/[^a-zA-Z0-9]/g, '-').slice(0, 200)}-${Math.abs(h).toString(36)}`);
    expect(claudeProjectDir('/c', '/a/b')).toBe('/c/projects/-a-b');
  });

  it('resolves config dirs from the environment (first of a comma list)', () => {
    expect(claudeConfigDir({ CLAUDE_CONFIG_DIR: '/one, /two', HOME: '/h' })).toBe('/one');
    expect(claudeConfigDir({ HOME: '/h' })).toBe('/h/.claude');
    expect(codexHome({ CODEX_HOME: '/cx' })).toBe('/cx');
  });

  it('names Codex rollouts in local time and Gemini sessions by start minute and id prefix', () => {
    const d = new Date(2026, 2, 4, 5, 6, 7);
    expect(codexSessionPath('/cx', 'abc', d)).toBe('/cx/sessions/2026/03/04/rollout-2026-03-04T05-06-07-abc.jsonl');
    expect(geminiSessionFileName('12345678-aaaa', new Date('2026-03-04T05:06:07Z'))).toBe('session-2026-03-04T05-06-12345678.jsonl');
  });

  it('allocates Gemini project slugs with -1, -2 on collision and records them in projects.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'agentmux-gem-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    expect(geminiSlug('/x/My App!!')).toBe('my-app');
    expect(geminiProjectId(dir, '/a/My App')).toBe('my-app');
    expect(geminiProjectId(dir, '/b/my-app')).toBe('my-app-1');
    expect(geminiProjectId(dir, '/c/my_app')).toBe('my-app-2');
    expect(geminiProjectId(dir, '/a/My App')).toBe('my-app');
    expect(JSON.parse(readFileSync(join(dir, 'projects.json'), 'utf8'))).toEqual({ projects: { '/a/My App': 'my-app', '/b/my-app': 'my-app-1', '/c/my_app': 'my-app-2' } });
  });
});
