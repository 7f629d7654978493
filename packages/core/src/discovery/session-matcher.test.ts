import { describe, expect, it } from 'vitest';
import type { ProcessMatch, SessionCandidate } from '../spec/provider-v1.js';
import { assignSessions, type SessionClaim } from './session-matcher.js';

const proc = (pid: number, startedAt: string, extra: Partial<ProcessMatch> = {}): ProcessMatch => ({
  process: { pid, ppid: 1, providerId: 'x', argv: ['x'], cwd: '/w', startedAt, childPids: [] },
  ...extra,
});
const cand = (sessionId: string, startedAt: string, cwd = '/w'): SessionCandidate => ({ sessionId, startedAt, cwd, path: `/t/${sessionId}.jsonl` });
/** A picker like a provider's: same cwd, earliest start at or after the process start. */
const byCwd = (m: ProcessMatch, cs: readonly SessionCandidate[]) =>
  cs.filter((c) => c.cwd === m.process.cwd && (c.startedAt ?? '') >= (m.process.startedAt ?? '')).sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''))[0] ?? null;
const claim = (key: string, match: ProcessMatch, pick = byCwd): SessionClaim => ({ key, match, pick });

describe('assignSessions', () => {
  it('gives an argv session id exactly, even without a transcript yet', () => {
    const out = assignSessions([claim('a', proc(1, '2026-01-01T00:00:00Z', { sessionId: 's-new' }))], [cand('s1', '2026-01-01T00:00:01Z')]);
    expect(out.get('a')).toEqual({ sessionId: 's-new', how: 'exact' });
  });

  it('exact claims go first and are never offered to inference', () => {
    const calls: string[][] = [];
    const spy = (m: ProcessMatch, cs: readonly SessionCandidate[]) => {
      calls.push(cs.map((c) => c.sessionId));
      return byCwd(m, cs);
    };
    const out = assignSessions(
      [claim('inferred', proc(1, '2026-01-01T00:00:00Z'), spy), claim('exact', proc(2, '2026-01-01T00:00:00Z', { sessionId: 's1' }))],
      [cand('s1', '2026-01-01T00:00:01Z'), cand('s2', '2026-01-01T00:00:02Z')],
    );
    expect(out.get('exact')?.how).toBe('exact');
    expect(out.get('exact')?.candidate?.path).toBe('/t/s1.jsonl');
    expect(out.get('inferred')?.sessionId).toBe('s2');
    expect(calls[0]).toEqual(['s2']);
  });

  it('never gives one session to two processes: the closest start keeps it, the other picks again', () => {
    const out = assignSessions(
      [claim('early', proc(1, '2026-01-01T00:00:00Z')), claim('late', proc(2, '2026-01-01T00:00:09Z'))],
      [cand('s-a', '2026-01-01T00:00:10Z'), cand('s-b', '2026-01-01T00:00:01Z')],
    );
    // both pick the earliest session at/after their start: early→s-b, late→s-a: no conflict
    expect(out.get('early')?.sessionId).toBe('s-b');
    expect(out.get('late')?.sessionId).toBe('s-a');

    const conflict = assignSessions(
      [claim('p1', proc(1, '2026-01-01T00:00:00Z')), claim('p2', proc(2, '2026-01-01T00:00:04Z'))],
      [cand('s-1', '2026-01-01T00:00:05Z'), cand('s-2', '2026-01-01T00:00:30Z')],
    );
    // both want s-1; p2 started 1 s before it, p1 5 s: p2 keeps it, p1 gets s-2
    expect(conflict.get('p2')?.sessionId).toBe('s-1');
    expect(conflict.get('p1')?.sessionId).toBe('s-2');
    const ids = [...conflict.values()].map((a) => a.sessionId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('leaves a process unmatched rather than doubling up', () => {
    const out = assignSessions([claim('p1', proc(1, '2026-01-01T00:00:00Z')), claim('p2', proc(2, '2026-01-01T00:00:01Z'))], [cand('only', '2026-01-01T00:00:02Z')]);
    expect(out.size).toBe(1);
    expect(out.get('p2')?.sessionId).toBe('only');
  });

  it('does not offer sessions already held', () => {
    const out = assignSessions([claim('p', proc(1, '2026-01-01T00:00:00Z'))], [cand('held', '2026-01-01T00:00:01Z')], new Set(['held']));
    expect(out.size).toBe(0);
  });

  it('ignores a picker that returns a session it was not offered', () => {
    const rogue = () => cand('held', '2026-01-01T00:00:01Z');
    const out = assignSessions([claim('p', proc(1, '2026-01-01T00:00:00Z'), rogue)], [cand('held', '2026-01-01T00:00:01Z'), cand('free', '2026-01-01T00:00:02Z')], new Set(['held']));
    expect(out.size).toBe(0);
  });
});
