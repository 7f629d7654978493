import { describe, expect, it } from 'vitest';
import type { ProcessMatch, SessionCandidate } from '@agentmux/core';
import { matchCodexSession } from './session-match.js';

const START = '2026-11-20T10:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(START) + seconds * 1000).toISOString();

const proc = (extra: Partial<ProcessMatch> = {}, processExtra: Partial<ProcessMatch['process']> = {}): ProcessMatch => ({
  process: { pid: 10, ppid: 1, providerId: 'codex', argv: ['codex'], cwd: '/home/dev/proj', startedAt: START, childPids: [], ...processExtra },
  ...extra,
});

const cand = (sessionId: string, startSec: number, extra: Partial<SessionCandidate> = {}): SessionCandidate => ({
  sessionId,
  cwd: '/home/dev/proj',
  startedAt: at(startSec),
  lastActivityAt: at(startSec + 5),
  path: `/c/sessions/rollout-${sessionId}.jsonl`,
  ...extra,
});

describe('matchCodexSession', () => {
  it('matches exactly by the session id in argv, regardless of time and cwd', () => {
    const target = cand('0199a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', -86_400, { cwd: '/elsewhere' });
    const result = matchCodexSession(proc({ sessionId: '0199A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B' }), [cand('other', 1), target]);
    expect(result).toBe(target);
  });

  it('returns null when the argv session id is not among the candidates', () => {
    expect(matchCodexSession(proc({ sessionId: 'missing' }), [cand('a', 1)])).toBeNull();
  });

  it('picks the same-cwd session whose first record is closest after the start', () => {
    const near = cand('near', 3);
    const result = matchCodexSession(proc(), [cand('far', 60), near, cand('other-cwd', 1, { cwd: '/other' }), cand('before', -30)]);
    expect(result).toBe(near);
  });

  it('tolerates a first record a little before the start (clock granularity), not more', () => {
    expect(matchCodexSession(proc(), [cand('early', -1.5)])?.sessionId).toBe('early');
    expect(matchCodexSession(proc(), [cand('too-early', -3)])).toBeNull();
  });

  it('returns null beyond the 120 s bound, and honours a custom window', () => {
    expect(matchCodexSession(proc(), [cand('late', 121)])).toBeNull();
    expect(matchCodexSession(proc(), [cand('late', 121)], { windowMs: 200_000 })?.sessionId).toBe('late');
    expect(matchCodexSession(proc(), [cand('edge', 120)])?.sessionId).toBe('edge');
  });

  it('compares cwd ignoring a trailing slash', () => {
    expect(matchCodexSession(proc({}, { cwd: '/home/dev/proj/' }), [cand('a', 2)])?.sessionId).toBe('a');
  });

  it('returns null without a process cwd or start time', () => {
    expect(matchCodexSession(proc({}, { cwd: undefined }), [cand('a', 2)])).toBeNull();
    expect(matchCodexSession(proc({}, { startedAt: undefined }), [cand('a', 2)])).toBeNull();
  });

  it('for `resume --last` picks the same-cwd session being written, else the latest before the start', () => {
    const old = cand('old', -7200, { lastActivityAt: at(-3600) });
    const recent = cand('recent', -600, { lastActivityAt: at(-60) });
    expect(matchCodexSession(proc({ continuesLatest: true }), [old, recent])).toBe(recent);
    const writing = cand('writing', -9000, { lastActivityAt: at(10) });
    expect(matchCodexSession(proc({ continuesLatest: true }), [old, recent, writing])).toBe(writing);
    expect(matchCodexSession(proc({ continuesLatest: true }), [cand('x', -10, { cwd: '/other' })])).toBeNull();
  });
});
