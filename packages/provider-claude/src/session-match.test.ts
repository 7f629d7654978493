import type { ProcessMatch, SessionCandidate } from '@agentmux/core';
import { describe, expect, it } from 'vitest';
import { matchClaudeSession } from './session-match.js';

const START = '2026-11-20T10:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(START) + seconds * 1000).toISOString();
const proc = (extra: Partial<ProcessMatch> = {}, cwd: string | undefined = '/home/dev/app', startedAt: string | undefined = START): ProcessMatch => ({
  process: { pid: 10, ppid: 1, providerId: 'claude', argv: ['claude'], childPids: [], ...(cwd ? { cwd } : {}), ...(startedAt ? { startedAt } : {}) },
  ...extra,
});
const cand = (sessionId: string, startSec: number | undefined, cwd: string = '/home/dev/app', lastSec?: number): SessionCandidate => ({
  sessionId,
  path: `/c/projects/-home-dev-app/${sessionId}.jsonl`,
  ...(cwd ? { cwd } : {}),
  ...(startSec === undefined ? {} : { startedAt: at(startSec) }),
  ...(lastSec === undefined ? {} : { lastActivityAt: at(lastSec) }),
});

describe('matchClaudeSession', () => {
  it('matches exactly by the argv session id, and returns null while that file is missing', () => {
    const cands = [cand('a', 1), cand('0b7e1c2a-5d3f-4e6a-9b8c-1d2e3f405162', 500)];
    expect(matchClaudeSession(proc({ sessionId: '0B7E1C2A-5D3F-4E6A-9B8C-1D2E3F405162' }), cands)?.sessionId).toBe('0b7e1c2a-5d3f-4e6a-9b8c-1d2e3f405162');
    expect(matchClaudeSession(proc({ sessionId: '11111111-1111-4111-8111-111111111111' }), cands)).toBeNull();
  });

  it('picks the same-cwd candidate whose first record is closest after the process start', () => {
    const cands = [cand('far', 90), cand('near', 5), cand('other-cwd', 1, '/home/dev/other'), cand('before', -600)];
    expect(matchClaudeSession(proc(), cands)?.sessionId).toBe('near');
  });

  it('returns null beyond the window, and honours a custom window', () => {
    expect(matchClaudeSession(proc(), [cand('late', 121)])).toBeNull();
    expect(matchClaudeSession(proc(), [cand('late', 121)], { windowMs: 200_000 })?.sessionId).toBe('late');
    expect(matchClaudeSession(proc(), [cand('early', -3)])).toBeNull();
    expect(matchClaudeSession(proc(), [cand('slightly-early', -1)])?.sessionId).toBe('slightly-early');
  });

  it('needs the process cwd and start time for a non-exact match', () => {
    expect(matchClaudeSession(proc({}, ''), [cand('x', 1)])).toBeNull();
    expect(matchClaudeSession(proc({}, '/home/dev/app', ''), [cand('x', 1)])).toBeNull();
  });

  it('compares cwd paths normalised, and falls back to the encoded folder name', () => {
    expect(matchClaudeSession(proc({}, '/home/dev/app/'), [cand('x', 1)])?.sessionId).toBe('x');
    expect(matchClaudeSession(proc(), [cand('no-cwd', 2, '')])?.sessionId).toBe('no-cwd');
    expect(matchClaudeSession(proc({}, '/home/dev/other'), [cand('no-cwd', 2, '')])).toBeNull();
  });

  it('with --continue, picks the old session that is active since the process start', () => {
    const cands = [cand('old-active', -86_400, '/home/dev/app', 30), cand('old-idle', -3_600, '/home/dev/app', -3_000)];
    expect(matchClaudeSession(proc({ continuesLatest: true }), cands)?.sessionId).toBe('old-active');
    expect(matchClaudeSession(proc({ continuesLatest: true }), [cands[1] as SessionCandidate])).toBeNull();
    expect(matchClaudeSession(proc({ continuesLatest: true }), [cands[1] as SessionCandidate, cand('fresh', 3, '/home/dev/app', 3)])?.sessionId).toBe('fresh');
  });
});
