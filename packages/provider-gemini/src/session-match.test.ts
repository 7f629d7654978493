import type { ProcessMatch, SessionCandidate } from '@agentmux/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SESSION_MATCH_WINDOW_MS, matchGeminiSession } from './session-match.js';

const START = '2026-11-21T10:00:00.000Z';
const at = (sec: number): string => new Date(Date.parse(START) + sec * 1000).toISOString();
const proc = (over: Partial<ProcessMatch> = {}, cwd: string | null = '/work/a', startedAt: string | null = START): ProcessMatch => ({
  process: { pid: 10, ppid: 1, providerId: 'gemini', argv: ['gemini'], childPids: [], ...(cwd ? { cwd } : {}), ...(startedAt ? { startedAt } : {}) },
  ...over,
});
const cand = (sessionId: string, startSec: number | undefined, cwd: string | null = '/work/a', lastSec?: number): SessionCandidate => ({
  sessionId,
  path: `/h/.gemini/tmp/a/chats/session-${sessionId}.jsonl`,
  ...(cwd ? { cwd } : {}),
  ...(startSec !== undefined ? { startedAt: at(startSec) } : {}),
  ...(lastSec !== undefined ? { lastActivityAt: at(lastSec) } : {}),
});

describe('matchGeminiSession', () => {
  it('matches exactly by a session id named in argv, or not at all', () => {
    const cands = [cand('s1', 1), cand('s2', 2)];
    expect(matchGeminiSession(proc({ sessionId: 's2' }), cands)?.sessionId).toBe('s2');
    expect(matchGeminiSession(proc({ sessionId: 'zzz' }), cands)).toBeNull();
  });

  it('picks the candidate in the same cwd whose first record is closest after the start', () => {
    const cands = [cand('late', 50), cand('close', 3), cand('other-dir', 1, '/work/b'), cand('before', -30)];
    expect(matchGeminiSession(proc(), cands)?.sessionId).toBe('close');
  });

  it('accepts a record within the 2 s skew before the start, but prefers one after', () => {
    expect(matchGeminiSession(proc(), [cand('skew', -1)])?.sessionId).toBe('skew');
    expect(matchGeminiSession(proc(), [cand('skew', -1), cand('after', 90)])?.sessionId).toBe('after');
  });

  it('returns null beyond the bound (default 120 s, configurable)', () => {
    expect(DEFAULT_SESSION_MATCH_WINDOW_MS).toBe(120_000);
    expect(matchGeminiSession(proc(), [cand('far', 121)])).toBeNull();
    expect(matchGeminiSession(proc(), [cand('near', 119)])?.sessionId).toBe('near');
    expect(matchGeminiSession(proc(), [cand('near', 119)], 60_000)).toBeNull();
  });

  it('does not exclude candidates whose cwd is unknown, but prefers an exact cwd', () => {
    expect(matchGeminiSession(proc(), [cand('nocwd', 5, null)])?.sessionId).toBe('nocwd');
    expect(matchGeminiSession(proc(), [cand('nocwd', 5, null), cand('exact', 5)])?.sessionId).toBe('exact');
    expect(matchGeminiSession(proc({}, '/work/a/'), [cand('trailing', 5)])?.sessionId).toBe('trailing');
  });

  it('--resume latest takes the most recently active session in the cwd', () => {
    const cands = [cand('old', -3600, '/work/a', -3000), cand('recent', -600, '/work/a', 30), cand('elsewhere', -10, '/work/b', 40)];
    expect(matchGeminiSession(proc({ continuesLatest: true }), cands)?.sessionId).toBe('recent');
    expect(matchGeminiSession(proc({ continuesLatest: true }), [cand('stale', -9000, '/work/a', -8000)])).toBeNull();
  });

  it('without a process start time, only a single same-cwd candidate is returned', () => {
    expect(matchGeminiSession(proc({}, '/work/a', null), [cand('only', 5)])?.sessionId).toBe('only');
    expect(matchGeminiSession(proc({}, '/work/a', null), [cand('one', 5), cand('two', 6)])).toBeNull();
  });

  it('ignores candidates without a start time', () => {
    expect(matchGeminiSession(proc(), [cand('unknown', undefined)])).toBeNull();
  });
});
