import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, NotFoundError } from '../errors/index.js';
import { isSameProcessAlive, processStartTicks } from '@agentmux/testkit';
import { nastyTexts, waitFor } from '../backends/__fixtures__/wait-for.js';
import { createHarness, type BackendKind, type Harness } from './__fixtures__/harness.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.dispose();
  h = null;
});

describe.each<BackendKind>(['tmux', 'pty'])('agent lifecycle on %s', (kind) => {
  it('spawns with a preset session, persists the record without env values, delivers the prompt verified', async () => {
    h = createHarness(kind);
    const record = await h.manager.spawn(h.provider, {
      name: 'alpha', cwd: h.work, prompt: 'first prompt', sessionId: 'sess-alpha', env: h.env({ SECRET_TOKEN: 'hunter2' }),
    });
    expect(record).toMatchObject({ name: 'alpha', providerId: 'fake', backend: kind, sessionId: 'sess-alpha', sessionIdSource: 'preset', state: 'running' });
    expect(h.userTexts('sess-alpha')).toEqual(['first prompt']);
    const onDisk = readFileSync(join(h.stateDir, 'agents', 'alpha.json'), 'utf8');
    expect(JSON.parse(onDisk)).toMatchObject({ name: 'alpha', envKeys: ['FAKE_HOME', 'FAKE_WORK_MS', 'SECRET_TOKEN'] });
    expect(onDisk).not.toContain('hunter2');
    await waitFor(async () => (await h!.manager.status('alpha')).state === 'idle', 'idle after the first turn');
    const result = await h.manager.send('alpha', 'second message');
    expect(result).toMatchObject({ status: 'delivered', confirmedBy: 'transcript', enterPresses: 1 });
    await waitFor(() => h!.userTexts('sess-alpha').length === 2, 'second turn');
    expect(h.events.map((e) => e.name)).toContain('turn-started');
  });

  it('restarts a crashed agent with its session resumed and replays the undelivered message', async () => {
    h = createHarness(kind);
    const record = await h.manager.spawn(h.provider, { name: 'crashy', cwd: h.work, sessionId: 'sess-crash', env: h.env({ FAKE_WORK_MS: '1500' }) });
    await h.manager.send('crashy', 'turn one');
    // The agent is working on turn one: turn two waits in the queue.
    const queued = await h.manager.send('crashy', 'turn two');
    expect(queued.status).toBe('queued');
    expect((await h.manager.pending('crashy')).map((m) => m.text)).toEqual(['turn two']);
    process.kill(record.pid!, 'SIGKILL');
    await waitFor(() => h!.events.some((e) => e.name === 'agent-restarted'), 'restart', 15_000);
    const restarted = h.events.find((e) => e.name === 'agent-restarted')!.payload;
    expect(restarted).toMatchObject({ name: 'crashy', attempt: 1, sessionId: 'sess-crash', resumed: true });
    expect(h.events.find((e) => e.name === 'agent-exited')?.payload).toMatchObject({ expected: false });
    expect((await h.manager.get('crashy')).command.args).toContain('--resume');
    await waitFor(() => h!.userTexts('sess-crash').length === 2, 'replayed turn', 15_000);
    expect(h.userTexts('sess-crash')).toEqual(['turn one', 'turn two']);
    await waitFor(async () => (await h!.manager.pending('crashy')).length === 0, 'queue drained');
  });

  it('delivers awkward text byte-exact and refuses control bytes; nothing executes', async () => {
    h = createHarness(kind);
    await h.manager.spawn(h.provider, { name: 'fuzz', cwd: h.work, sessionId: 'sess-fuzz', env: h.env({ FAKE_WORK_MS: '0' }) });
    const canary = join(h.dir, 'canary');
    const texts = nastyTexts(canary).filter((t) => t.trim() !== '');
    // waitMs: the next text waits for the fake's (instant) turn to end instead of being queued.
    for (const text of texts) expect((await h.manager.send('fuzz', text, { waitMs: 5000 })).status).toBe('delivered');
    expect(h.userTexts('sess-fuzz')).toEqual(texts);
    for (const [bad, label] of [['a\0b', '0x00 NUL'], ['a\x1b[201~b', '0x1B ESC'], ['a\rb', '0x0D CR'], ['stop\x03', '0x03'], ['del\x7f', '0x7F DEL'], ['c1\u009b', 'U+009B']] as const) {
      const error = await h.manager.send('fuzz', bad).catch((e: unknown) => e);
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).field).toBe('send.text');
      expect((error as Error).message).toContain(label);
    }
    expect(h.userTexts('sess-fuzz')).toEqual(texts);
    expect(existsSync(canary)).toBe(false);
  });
});

describe('agent lifecycle (tmux)', () => {
  it('learns the session id from the transcript that appears when none can be preset', async () => {
    const { createFakeProvider } = await import('./__fixtures__/fake-provider.js');
    h = createHarness('tmux', {}, createFakeProvider({ presetSessionId: false }));
    const record = await h.manager.spawn(h.provider, { name: 'learner', cwd: h.work, env: h.env() });
    expect(record.sessionId).toBeNull();
    await h.manager.send('learner', 'hello there');
    const learned = await h.manager.get('learner');
    expect(learned.sessionIdSource).toBe('transcript');
    expect(h.transcriptFiles()).toEqual([`${learned.sessionId}.jsonl`]);
    expect(h.events.find((e) => e.name === 'session-learned')?.payload).toMatchObject({ name: 'learner', sessionId: learned.sessionId });
  });

  it('holds text back while the agent works and delivers it at the turn boundary', async () => {
    h = createHarness('tmux');
    await h.manager.spawn(h.provider, { name: 'busy', cwd: h.work, sessionId: 'sess-busy', env: h.env({ FAKE_WORK_MS: '800' }) });
    await h.manager.send('busy', 'task A');
    const b = await h.manager.send('busy', 'task B');
    expect(b).toMatchObject({ status: 'queued' });
    expect(b.reason).toMatch(/working/);
    expect(JSON.parse(readFileSync(join(h.stateDir, 'agents', 'busy', 'queue.json'), 'utf8'))).toMatchObject([{ text: 'task B', state: 'queued' }]);
    await waitFor(() => h!.userTexts('sess-busy').length === 2, 'task B delivered', 10_000);
    expect(h.userTexts('sess-busy')).toEqual(['task A', 'task B']);
    const lines = readFileSync(join(h.home, 'sessions', 'sess-busy.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string });
    expect(lines.map((l) => l.type)).toEqual(['meta', 'user', 'assistant', 'user', 'assistant'].slice(0, lines.length));
  });

  it('never delivers the same idempotency key twice, across manager instances', async () => {
    h = createHarness('tmux');
    await h.manager.spawn(h.provider, { name: 'idem', cwd: h.work, sessionId: 'sess-idem', env: h.env({ FAKE_WORK_MS: '0' }) });
    expect((await h.manager.send('idem', 'only once', { idempotencyKey: 'k1' })).status).toBe('delivered');
    expect((await h.manager.send('idem', 'only once', { idempotencyKey: 'k1' })).status).toBe('duplicate');
    const other = h.newManager({ watchdog: false });
    expect((await other.send('idem', 'only once', { idempotencyKey: 'k1' })).status).toBe('duplicate');
    expect(h.userTexts('sess-idem')).toEqual(['only once']);
  });

  it('presses Enter again when the text sits unsubmitted in the input box, without retyping it', async () => {
    h = createHarness('tmux');
    await h.manager.spawn(h.provider, { name: 'deaf', cwd: h.work, sessionId: 'sess-deaf', env: h.env({ FAKE_DROP_FIRST_ENTER: '1', FAKE_WORK_MS: '0' }) });
    const result = await h.manager.send('deaf', 'please submit me');
    expect(result).toMatchObject({ status: 'delivered', enterPresses: 2 });
    expect(h.userTexts('sess-deaf')).toEqual(['please submit me']);
  });

  it('gives up after maxRestarts with an event that says why', async () => {
    h = createHarness('tmux', { watchdog: { intervalMs: 50, backoffBaseMs: 20, maxRestarts: 2 } });
    const record = await h.manager.spawn(h.provider, { name: 'doomed', cwd: h.work, sessionId: 'sess-doomed', env: h.env({ FAKE_EXIT_AFTER_TURNS: '1', FAKE_WORK_MS: '0' }) });
    const ticks = processStartTicks(record.pid!);
    h.provider.buildResumeCommand = (r) => ({ command: process.execPath, args: ['-e', 'process.exit(3)'], env: {}, cwd: r.cwd, ...(r.sessionId ? { sessionId: r.sessionId } : {}) });
    await h.manager.send('doomed', 'exit after this').catch(() => undefined);
    await waitFor(() => h!.events.some((e) => e.name === 'agent-failed'), 'give up', 15_000);
    const failed = h.events.find((e) => e.name === 'agent-failed')!.payload;
    expect(failed).toMatchObject({ name: 'doomed', attempts: 2 });
    expect(failed.reason).toMatch(/gave up after 2 restarts/);
    // Each attempt either started (and died) or failed to start: two attempts in all.
    const started = h.events.filter((e) => e.name === 'agent-restarted').length;
    const failedStarts = h.events.filter((e) => e.name === 'agent-errored' && /new-session/.test(String(e.payload.error))).length;
    expect(started + failedStarts).toBe(2);
    expect((await h.manager.get('doomed')).state).toBe('failed');
    expect(isSameProcessAlive(record.pid!, ticks)).toBe(false); // pid + start time: pids wrap on a busy machine
  });

  it('raises agent-looping for repeated tool calls and suggests compaction for a big context', async () => {
    const suggested: number[] = [];
    h = createHarness('tmux', {
      watchdog: { intervalMs: 100, repeatedToolCalls: 3, compactionThresholdTokens: 1000 },
      onCompactionSuggested: (e) => { suggested.push(e.contextTokens); },
    });
    await h.manager.spawn(h.provider, { name: 'loopy', cwd: h.work, sessionId: 'sess-loop', env: h.env({ FAKE_TOOL: 'Bash', FAKE_WORK_MS: '0', FAKE_CONTEXT: '5000' }) });
    for (const text of ['one', 'two', 'three']) {
      await h.manager.send('loopy', text);
      await waitFor(async () => (await h!.manager.status('loopy')).state === 'idle', 'idle');
    }
    await waitFor(() => h!.events.some((e) => e.name === 'agent-looping'), 'looping event');
    expect(h.events.find((e) => e.name === 'agent-looping')!.payload).toMatchObject({ reason: 'repeated-tool-call' });
    await waitFor(() => suggested.length > 0, 'compaction hook');
    expect(suggested[0]).toBe(5000);
    expect(h.events.filter((e) => e.name === 'compaction-suggested')).toHaveLength(1);
  });

  it('raises agent-stuck when a working agent shows nothing new', async () => {
    h = createHarness('tmux', { watchdog: { intervalMs: 50, stuckMs: 400 } });
    await h.manager.spawn(h.provider, { name: 'stuck', cwd: h.work, sessionId: 'sess-stuck', env: h.env({ FAKE_WORK_MS: '60000' }) });
    await h.manager.send('stuck', 'think forever');
    await waitFor(() => h!.events.some((e) => e.name === 'agent-stuck'), 'stuck event', 5000);
    expect((h.events.find((e) => e.name === 'agent-stuck')!.payload.idleMs as number)).toBeGreaterThanOrEqual(400);
  });

  it('kills, resumes the same session, restarts, peeks, searches, lists and removes', async () => {
    h = createHarness('tmux');
    const rec = await h.manager.spawn(h.provider, { name: 'life', cwd: h.work, sessionId: 'sess-life', env: h.env({ FAKE_WORK_MS: '0' }) });
    const lifeTicks = processStartTicks(rec.pid!);
    await h.manager.send('life', 'needle-in-the-log');
    expect(await h.manager.peek('life', 10)).toContain('needle-in-the-log');
    await waitFor(async () => (await h!.manager.search('needle-in-the-log')).length > 0, 'log search');
    expect((await h.manager.search(/needle-in-the-\w+/))[0]).toMatchObject({ name: 'life' });
    const killed = await h.manager.kill('life', { graceMs: 500 });
    expect(killed.state).toBe('killed');
    expect(isSameProcessAlive(rec.pid!, lifeTicks)).toBe(false);
    const resumed = await h.manager.resume('life');
    expect(resumed.command.args).toEqual(expect.arrayContaining(['--resume', 'sess-life']));
    await h.manager.send('life', 'after resume');
    expect(h.userTexts('sess-life')).toEqual(['needle-in-the-log', 'after resume']);
    const restarted = await h.manager.restart('life');
    expect(restarted.state).toBe('running');
    expect(h.events.filter((e) => e.name === 'agent-restarted')).toHaveLength(0);
    expect((await h.manager.list()).map((r) => r.name)).toEqual(['life']);
    await h.manager.remove('life');
    await expect(h.manager.get('life')).rejects.toSatisfy(NotFoundError.isInstance);
  });

  it('forks a session into a new agent', async () => {
    h = createHarness('tmux');
    await h.manager.spawn(h.provider, { name: 'parent', cwd: h.work, sessionId: 'sess-parent', env: h.env({ FAKE_WORK_MS: '0' }) });
    await h.manager.send('parent', 'shared history');
    const child = await h.manager.fork('parent', 'child');
    expect(child).toMatchObject({ name: 'child', forkedFrom: 'parent', sessionIdSource: 'fork' });
    await h.manager.send('child', 'only in the fork');
    expect(h.userTexts(child.sessionId!)).toEqual(['shared history', 'only in the fork']);
    expect(h.userTexts('sess-parent')).toEqual(['shared history']);
  });

  it('validates spawn input with errors that name the field', async () => {
    h = createHarness('tmux');
    const base = { cwd: h.work, env: h.env() };
    await expect(h.manager.spawn(h.provider, { ...base, name: 'bad name' })).rejects.toThrow(/spawn\.name/);
    await expect(h.manager.spawn(h.provider, { ...base, name: 'x', cwd: 'relative' })).rejects.toThrow(/spawn\.cwd/);
    await expect(h.manager.spawn(h.provider, { ...base, name: 'x', prompt: 'bad\0' })).rejects.toThrow(/spawn\.prompt.*NUL/);
    await expect(h.manager.spawn('nope', { ...base, name: 'x' })).rejects.toThrow(/unknown provider "nope"/);
    await h.manager.spawn(h.provider, { ...base, name: 'dup' });
    await expect(h.manager.spawn(h.provider, { ...base, name: 'dup' })).rejects.toThrow(/already exists/);
    await expect(h.manager.send('ghost', 'x')).rejects.toSatisfy(NotFoundError.isInstance);
  });

  it('confirms by the input box clearing when the provider has no transcript', async () => {
    const { createFakeProvider } = await import('./__fixtures__/fake-provider.js');
    const provider = createFakeProvider();
    provider.listTranscripts = async () => [];
    h = createHarness('tmux', { send: { transcriptGraceMs: 300, enterRetryMs: 600, timeoutMs: 10_000 } }, provider);
    await h.manager.spawn(h.provider, { name: 'blind', cwd: h.work, sessionId: 'sess-blind', env: h.env({ FAKE_WORK_MS: '0' }) });
    const result = await h.manager.send('blind', 'seen only on screen');
    expect(result).toMatchObject({ status: 'delivered', confirmedBy: 'screen', enterPresses: 1 });
    expect(h.userTexts('sess-blind')).toEqual(['seen only on screen']);
  });
});
