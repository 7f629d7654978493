import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../backends/__fixtures__/wait-for.js';
import { createHarness, type Harness } from './__fixtures__/harness.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.dispose();
  h = null;
});

describe('watchdog', () => {
  it('adopts agents of an earlier process from the state dir and restarts one that crashed', async () => {
    h = createHarness('tmux', { watchdog: false });
    const record = await h.manager.spawn(h.provider, { name: 'orphan', cwd: h.work, sessionId: 'sess-orphan', env: h.env({ FAKE_WORK_MS: '0' }) });
    await h.manager.send('orphan', 'before the crash');
    await h.manager[Symbol.asyncDispose]();
    process.kill(record.pid!, 'SIGKILL');
    // A new process (another manager) supervises the fleet it finds on disk.
    const supervisor = h.newManager({ watchdog: { intervalMs: 50, backoffBaseMs: 50 } });
    const restarted: unknown[] = [];
    supervisor.on('agent-restarted', (e) => restarted.push(e));
    await waitFor(() => restarted.length > 0, 'restart of the adopted agent', 10_000);
    expect(restarted[0]).toMatchObject({ name: 'orphan', sessionId: 'sess-orphan', resumed: true });
    expect(await supervisor.send('orphan', 'after the crash')).toMatchObject({ status: 'delivered' });
    expect(h.userTexts('sess-orphan')).toEqual(['before the crash', 'after the crash']);
  });

  it('restarts without resuming (a fresh session) when the provider cannot resume, and says so', async () => {
    const { createFakeProvider } = await import('./__fixtures__/fake-provider.js');
    h = createHarness('tmux', { watchdog: { intervalMs: 50, backoffBaseMs: 50 } }, createFakeProvider({ resume: false }));
    const record = await h.manager.spawn(h.provider, { name: 'noresume', cwd: h.work, sessionId: 'sess-nr', env: h.env({ FAKE_WORK_MS: '0' }) });
    process.kill(record.pid!, 'SIGKILL');
    await waitFor(() => h!.events.some((e) => e.name === 'agent-restarted'), 'restart');
    const e = h.events.find((x) => x.name === 'agent-restarted')!.payload;
    expect(e.resumed).toBe(false);
    expect(e.sessionId).not.toBe('sess-nr');
  });

  it('raises agent-looping when the token rate passes the limit', async () => {
    h = createHarness('tmux', { watchdog: { intervalMs: 50, tokensPerMinute: 15 } });
    await h.manager.spawn(h.provider, { name: 'spender', cwd: h.work, sessionId: 'sess-spend', env: h.env({ FAKE_WORK_MS: '0' }) });
    await h.manager.send('spender', 'one');
    await h.manager.send('spender', 'two', { waitMs: 5000 });
    await waitFor(() => h!.events.some((e) => e.name === 'agent-looping'), 'token-rate event', 5000);
    const e = h.events.find((x) => x.name === 'agent-looping')!.payload;
    expect(e).toMatchObject({ name: 'spender', reason: 'token-rate' });
    expect(e.detail).toMatch(/20 tokens in the last minute \(limit 15\)/);
  });
});
