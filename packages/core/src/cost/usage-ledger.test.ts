import { describe, expect, it } from 'vitest';
import type { UsageRecord } from '../spec/transcript.js';
import { emptyUsage, type Usage } from '../spec/usage.js';
import { UsageLedger } from './usage-ledger.js';

const u = (p: Partial<Usage>): Usage => ({ ...emptyUsage(), ...p });
const rec = (p: Partial<UsageRecord>): UsageRecord => ({
  timestamp: '2026-03-01T10:00:00.000Z',
  sessionId: 's1',
  providerId: 'claude',
  model: 'claude-opus-4-5',
  cwd: '/w/app',
  usage: emptyUsage(),
  ...p,
});
const claude = (id: string, req: string | undefined, output: number, extra: Partial<UsageRecord> = {}): UsageRecord =>
  rec({ dedupKey: req ? `${id}:${req}` : id, dedupPolicy: 'max-total', usage: u({ input: 10, output }), ...extra });

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

describe('UsageLedger dedup', () => {
  it('keeps the larger total of a repeated key (streamed partial lines)', () => {
    const l = new UsageLedger();
    l.add([claude('msg_1', 'req_1', 1), claude('msg_1', 'req_1', 300), claude('msg_1', 'req_1', 1)]);
    expect(l.totals().usage.output).toBe(300);
    expect(l.totals().records).toBe(1);
  });

  it('never deduplicates records without a key', () => {
    const l = new UsageLedger();
    l.add([rec({ usage: u({ output: 5 }) }), rec({ usage: u({ output: 5 }) })]);
    expect(l.totals().usage.output).toBe(10);
  });

  it('drops sidechain replays of a main-chain message id, whatever the order, size or requestId', () => {
    const main = claude('msg_A', 'req_1', 50, { sessionId: 'p' });
    const replaySameKey = claude('msg_A', 'req_1', 900, { sessionId: 'p', isSidechain: true });
    const replayOtherReq = claude('msg_A', 'req_2', 700, { sessionId: 'p', isSidechain: true });
    const ownSide = claude('msg_B', 'req_3', 20, { sessionId: 'p', isSidechain: true });
    for (const order of permutations([main, replaySameKey, replayOtherReq, ownSide])) {
      const l = new UsageLedger();
      for (const r of order) l.add([r], r.isSidechain ? 'sub.jsonl' : 'main.jsonl');
      expect(l.totals().usage.output).toBe(70);
      expect(l.totals().records).toBe(2);
    }
  });

  it('counts a sidechain message when no main-chain record has its id, and re-elects when the main one goes', () => {
    const l = new UsageLedger();
    l.add([claude('msg_A', 'req_1', 700, { isSidechain: true })], 'sub');
    expect(l.totals().usage.output).toBe(700);
    l.add([claude('msg_A', 'req_1', 5)], 'main');
    expect(l.totals().usage.output).toBe(5);
    l.removeSource('main');
    expect(l.totals().usage.output).toBe(700);
  });

  it('last-wins and retractions (Gemini)', () => {
    const g = (id: string, out: number): UsageRecord => rec({ providerId: 'gemini', model: 'gemini-2.5-pro', dedupKey: `s1:${id}`, dedupPolicy: 'last-wins', usage: u({ output: out }) });
    const l = new UsageLedger();
    l.add([g('m1', 10), g('m1', 4), g('m2', 7)], 'f');
    expect(l.totals().usage.output).toBe(11);
    l.add([], 'f', ['s1:m2']);
    expect(l.totals().usage.output).toBe(4);
    l.add([g('m2', 1)], 'f');
    expect(l.totals().usage.output).toBe(5);
  });

  it('removeSource drops a file and restores the other files\' candidates', () => {
    const l = new UsageLedger();
    l.add([claude('msg_1', 'r', 100)], 'a');
    l.add([claude('msg_1', 'r', 40), claude('msg_2', 'r', 3)], 'b');
    expect(l.totals().usage.output).toBe(103);
    l.removeSource('a');
    expect(l.totals().usage.output).toBe(43);
    l.removeSource('b');
    expect(l.totals().records).toBe(0);
    expect(l.totals().cost.usd).toBe(0);
  });
});

describe('UsageLedger aggregation', () => {
  it('aggregates by session, project, model, day (in a time zone), agent and provider', () => {
    const l = new UsageLedger({ timeZone: 'America/New_York', agentOf: (r) => (r.sessionId === 's1' ? 'alice' : undefined) });
    l.add([
      rec({ timestamp: '2026-03-01T03:00:00.000Z', usage: u({ input: 1_000_000 }) }),
      rec({ sessionId: 's2', cwd: '/w/other', model: 'gpt-5', providerId: 'codex', timestamp: '2026-03-01T12:00:00.000Z', usage: u({ output: 1_000_000, reasoning: 10 }) }),
    ]);
    expect(l.aggregate('session').map((a) => [a.key, a.project, a.providers])).toEqual([
      ['s1', '/w/app', ['claude']],
      ['s2', '/w/other', ['codex']],
    ]);
    expect(l.aggregate('day').map((a) => a.key)).toEqual(['2026-02-28', '2026-03-01']);
    expect(l.aggregate('model').map((a) => [a.key, a.cost.usd])).toEqual([
      ['claude-opus-4-5', expect.closeTo(5, 9)],
      ['gpt-5', expect.closeTo(10, 9)],
    ]);
    expect(l.aggregate('agent').map((a) => a.key)).toEqual(['alice']);
    expect(l.aggregate('provider').map((a) => a.key)).toEqual(['claude', 'codex']);
    expect(l.aggregate('project').map((a) => a.key)).toEqual(['/w/app', '/w/other']);
    const t = l.totals();
    expect(t.usage).toEqual(u({ input: 1_000_000, output: 1_000_000, reasoning: 10 }));
    expect(t.cost.usd).toBeCloseTo(15, 9);
  });

  it('keeps unknown costs unknown in every aggregate and lists the models', () => {
    const l = new UsageLedger();
    l.add([rec({ usage: u({ input: 1_000_000 }) }), rec({ model: 'mystery-9', usage: u({ input: 1 }) })]);
    const t = l.totals().cost;
    expect(t.usd).toBeNull();
    expect(t.pricedUsd).toBeCloseTo(5, 9);
    expect(t.unpricedModels).toEqual(['mystery-9']);
    expect(l.get('session', 's1')?.cost.usd).toBeNull();
    expect(l.get('model', 'claude-opus-4-5')?.cost.usd).toBeCloseTo(5, 9);
  });

  it('filters by since/until after dedup', () => {
    const l = new UsageLedger({ since: new Date('2026-03-01T00:00:00Z'), until: new Date('2026-03-02T00:00:00Z') });
    l.add([
      rec({ timestamp: '2026-02-28T23:59:59.999Z', usage: u({ input: 1 }) }),
      rec({ timestamp: '2026-03-01T00:00:00.000Z', usage: u({ input: 2 }) }),
      rec({ timestamp: '2026-03-02T00:00:00.000Z', usage: u({ input: 4 }) }),
      rec({ timestamp: 'garbage', usage: u({ input: 8 }) }),
    ]);
    expect(l.totals().usage.input).toBe(2);
  });

  it('reports which sessions and agents changed', () => {
    const l = new UsageLedger({ agentOf: (r) => `agent-${r.sessionId}` });
    const c = l.add([rec({ sessionId: 'x', usage: u({ input: 1 }) })]);
    expect([...c.sessions]).toEqual(['x']);
    expect([...c.agents]).toEqual(['agent-x']);
  });

  it('rejects a bad time zone with a typed error', () => {
    expect(() => new UsageLedger({ timeZone: 'Mars/Olympus' })).toThrow(/timeZone/);
  });

  it('without history gives the same results in any order and refuses removeSource', () => {
    const recs = [
      claude('m1', 'r1', 100, { sessionId: 'p' }),
      claude('m1', 'r1', 900, { sessionId: 'p', isSidechain: true }),
      claude('m1', 'r2', 700, { sessionId: 'p', isSidechain: true }),
      claude('m2', 'r3', 5, { sessionId: 'p', isSidechain: true }),
      claude('m2', 'r3', 50, { sessionId: 'p', isSidechain: true }),
      claude('m3', 'r4', 1),
      claude('m3', 'r4', 3),
      rec({ usage: u({ output: 7 }) }),
    ];
    for (const order of [recs, [...recs].reverse(), [recs[2], recs[4], recs[0], recs[6], recs[1], recs[3], recs[7], recs[5]]]) {
      const full = new UsageLedger();
      const lean = new UsageLedger({ keepHistory: false });
      for (const r of order) {
        full.add([r as UsageRecord], 'f');
        lean.add([r as UsageRecord], 'f');
      }
      expect(lean.totals()).toEqual(full.totals());
      expect(lean.totals().usage.output).toBe(100 + 50 + 3 + 7);
    }
    expect(() => new UsageLedger({ keepHistory: false }).removeSource('f')).toThrow(/keepHistory/);
  });
});
