import { describe, expect, it } from 'vitest';
import type { FleetAgent, FleetEvents } from '@agentmux/core';
import { FIXED_NOW, agent } from './__fixtures__/agents.js';
import { createPaint, stripAnsi } from './format.js';
import { TopApp, type TopFleet } from './top-app.js';

/** A fleet stand-in: fixed agents, a recorded kill, and a minimal typed emitter. */
class FakeFleet {
  private readonly handlers = new Map<string, Set<(...args: unknown[]) => void>>();
  on<E extends keyof FleetEvents>(event: E, fn: FleetEvents[E]): this {
    const set = this.handlers.get(event) ?? new Set();
    set.add(fn as (...args: unknown[]) => void);
    this.handlers.set(event, set);
    return this;
  }
  off<E extends keyof FleetEvents>(event: E, fn: FleetEvents[E]): this {
    this.handlers.get(event)?.delete(fn as (...args: unknown[]) => void);
    return this;
  }
  emit<E extends keyof FleetEvents>(event: E, ...args: Parameters<FleetEvents[E]>): void {
    for (const fn of this.handlers.get(event) ?? []) fn(...args);
  }
  agents: FleetAgent[] = [
    agent({ name: 'alpha', pid: 1, usd: 0.2, ageS: 50 }),
    agent({ name: 'beta', pid: 2, usd: 3, ageS: 5000, provider: 'codex', state: 'working' }),
    agent({ name: 'gamma', pid: 3, usd: 9, ageS: 500, provider: 'gemini', state: 'waiting-permission' }),
  ];
  killed: string[] = [];
  snapshot(): FleetAgent[] {
    return this.agents;
  }
  async kill(id: string): Promise<string> {
    this.killed.push(id);
    return 'exited after SIGTERM';
  }
  explain(id: string): string {
    return `idle, decided by transcript for ${id}`;
  }
}

function setup(cols = 80, rows = 24) {
  const fleet = new FakeFleet();
  const writes: string[] = [];
  let quit = false;
  const app = new TopApp(fleet as unknown as TopFleet, { write: (t) => void writes.push(t), columns: () => cols, rows: () => rows }, createPaint(false), () => (quit = true), () => FIXED_NOW);
  return { fleet, writes, app, quitted: () => quit };
}

const names = (app: TopApp) => app.rows().map((a) => a.name);

describe('TopApp', () => {
  it('draws a frame that fits 80 columns, with totals and help', () => {
    const { app } = setup();
    const frame = app.frame().map(stripAnsi);
    for (const l of frame) expect(l.length).toBeLessThanOrEqual(80);
    expect(frame[0]).toMatch(/^agentmux top · 3 agents · sort cost/);
    expect(frame.some((l) => /^TOTAL 3 agents · in 3\.0k · out 1\.5k · cost \$12\.20$/.test(l))).toBe(true);
    expect(frame.at(-1)).toContain('k kill');
    expect(frame.findIndex((l) => l.startsWith('gamma'))).toBeLessThan(frame.findIndex((l) => l.startsWith('alpha')));
  });

  it('cycles the sort and filters by typed text', () => {
    const { app } = setup();
    expect(names(app)).toEqual(['gamma', 'beta', 'alpha']);
    app.handleKey('s');
    expect(app.sort).toBe('age');
    expect(names(app)).toEqual(['beta', 'gamma', 'alpha']);
    app.handleKey('s');
    expect(names(app)).toEqual(['alpha', 'beta', 'gamma']);
    app.handleInput('/codx\u007f\r');
    expect(app.filter).toBe('cod');
    expect(names(app)).toEqual(['beta']);
    app.handleKey('\u001b');
    expect(names(app)).toHaveLength(3);
  });

  it('kills the selected agent only after confirmation', async () => {
    const { app, fleet } = setup();
    app.handleInput('\u001b[Bk'); // first row (gamma) is selected; down to beta, then k, in one chunk
    expect(stripAnsi(app.frame().at(-1) as string)).toMatch(/^Kill beta \(pid 2\)\? .*\[y\/N\]/);
    app.handleInput('nk');
    expect(fleet.killed).toEqual([]);
    app.handleKey('y');
    await new Promise((r) => setTimeout(r, 0));
    expect(fleet.killed).toEqual(['codex-2']);
    expect(app.message).toBe('codex-2: exited after SIGTERM');
  });

  it('redraws only changed lines, and nothing when nothing changed', () => {
    const { app, fleet, writes } = setup();
    app.open();
    const first = writes.join('');
    expect(first).toContain('\u001b[?1049h');
    writes.length = 0;
    fleet.emit('poll-ended', { changed: false, agents: 3, durationMs: 1 });
    expect(writes).toEqual([]);
    fleet.agents = [...fleet.agents.slice(0, 2), { ...(fleet.agents[2] as FleetAgent), status: { state: 'idle', evidence: [] } }];
    fleet.emit('poll-ended', { changed: true, agents: 3, durationMs: 1 });
    expect(writes).toHaveLength(1);
    const redrawn = (writes[0] as string).split('\u001b[').filter((s) => /^\d+;1H/.test(s));
    expect(redrawn).toHaveLength(1); // only gamma's row
    expect(redrawn[0]).toContain('gamma');
    app.close();
    expect(writes.at(-1)).toContain('\u001b[?1049l');
    writes.length = 0;
    fleet.emit('poll-ended', { changed: true, agents: 3, durationMs: 1 });
    expect(writes).toEqual([]);
  });

  it('shows budget events and quits on q', () => {
    const { app, fleet, quitted } = setup();
    app.open();
    fleet.emit('budget-exceeded', { at: '', kind: 'exceeded', ruleIndex: 0, scope: 'agent', subject: 'gemini-3', action: 'kill', agentIds: ['gemini-3'], reason: 'agent gamma spent $9.00 > per-agent budget $5.00', spentUsd: 9, spentTokens: 1, outcomes: {} });
    expect(stripAnsi(app.frame().at(-1) as string).trimEnd()).toBe('budget exceeded: agent gamma spent $9.00 > per-agent budget $5.00 → kill');
    app.handleKey('q');
    expect(quitted()).toBe(true);
  });
});
