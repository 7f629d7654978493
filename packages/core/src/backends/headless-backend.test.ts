import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnsupportedCapabilityError } from '../errors/index.js';
import type { HeadlessEvent, HeadlessOutputParser, ProviderV1 } from '../spec/index.js';
import { emptyUsage } from '../spec/index.js';
import { createAgentManager } from '../lifecycle/agent-manager.js';
import { createFakeProvider } from '../lifecycle/__fixtures__/fake-provider.js';
import { createHeadlessBackend, type HeadlessBackend } from './headless-backend.js';
import { waitFor } from './__fixtures__/wait-for.js';

const RUN = fileURLToPath(new URL('./__fixtures__/headless-run.mjs', import.meta.url));

/** Parser for headless-run.mjs output. */
function fixtureParser(): HeadlessOutputParser {
  const skipped: Record<string, number> = {};
  const turn = { index: 0, sessionId: '', startedAt: new Date().toISOString(), userText: '', assistantText: '', tools: [] as never[], usage: emptyUsage() };
  return {
    skipped,
    push(line) {
      let o: { event: string; session?: string; id?: string; name?: string; prompt?: string; tokens?: number };
      try {
        o = JSON.parse(line) as typeof o;
      } catch {
        skipped['invalid-json'] = (skipped['invalid-json'] ?? 0) + 1;
        return [];
      }
      if (o.event === 'start') {
        turn.sessionId = o.session ?? '';
        return [{ type: 'session-started', sessionId: turn.sessionId }, { type: 'turn-started', turn: { ...turn } }];
      }
      if (o.event === 'tool') return [{ type: 'tool-started', tool: { id: o.id ?? '', name: o.name ?? '', inputSummary: '', outcome: 'pending' } }];
      if (o.event === 'done') return [{ type: 'turn-ended', turn: { ...turn, userText: o.prompt ?? '', endedAt: new Date().toISOString(), usage: { ...emptyUsage(), output: o.tokens ?? 0 } } }];
      return [];
    },
    end: () => [],
  };
}

let dir: string;
let backend: HeadlessBackend;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'amx-headless-'));
  backend = createHeadlessBackend();
});
afterAll(async () => {
  await backend[Symbol.asyncDispose]();
  rmSync(dir, { recursive: true, force: true });
});

describe('headless backend', () => {
  it('parses stdout into turn events, logs output and reports the exit code', async () => {
    const logFile = join(dir, 'h1.log');
    const seen: HeadlessEvent[] = [];
    await backend.start({ name: 'h1', command: 'node', args: [RUN, 'do $(touch x); the job'], cwd: dir, logFile, parser: fixtureParser(), env: { HEADLESS_EXIT: '3' } });
    backend.subscribe('h1', (e) => seen.push(e));
    expect(await backend.waitForExit('h1')).toBe(3);
    expect(await backend.isAlive('h1')).toBe(false);
    expect(backend.events('h1').map((e) => e.type)).toEqual(['session-started', 'turn-started', 'tool-started', 'turn-ended']);
    const ended = backend.events('h1')[3] as Extract<HeadlessEvent, { type: 'turn-ended' }>;
    expect(ended.turn).toMatchObject({ userText: 'do $(touch x); the job', sessionId: 'headless-1' });
    expect(readFileSync(logFile, 'utf8')).toContain('some stderr');
    expect(await backend.capture('h1')).toContain('not json');
    expect((await backend.list()).find((s) => s.name === 'h1')).toMatchObject({ alive: false, exitCode: 3 });
  });

  it('refuses typing with UnsupportedCapabilityError and a hint', async () => {
    await backend.start({ name: 'h2', command: 'node', args: [RUN, 'x'], cwd: dir, env: { HEADLESS_DELAY_MS: '5000' } });
    const error = await backend.sendText('h2', 'hello').catch((e: unknown) => e);
    expect(UnsupportedCapabilityError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/tmux or pty backend/);
    await expect(backend.sendKeys('h2', ['Enter'])).rejects.toSatisfy(UnsupportedCapabilityError.isInstance);
    await backend.kill('h2', { graceMs: 500 });
    expect(await backend.isAlive('h2')).toBe(false);
  });

  it('runs a spawned agent through the manager: prompt in argv, events re-emitted, send refused', async () => {
    const base = createFakeProvider();
    const provider: ProviderV1 = {
      ...base,
      buildSpawnCommand: (r) => ({ command: process.execPath, args: [RUN, r.prompt ?? ''], env: {}, cwd: r.cwd, outputFormat: 'fixture' }),
      createHeadlessParser: (format) => {
        expect(format).toBe('fixture');
        return fixtureParser();
      },
    };
    const manager = createAgentManager({ backend, stateDir: join(dir, 'state'), providers: [provider], watchdog: { intervalMs: 50 } });
    const names: string[] = [];
    for (const event of ['turn-started', 'tool-started', 'turn-ended', 'session-learned', 'agent-exited'] as const) manager.on(event, () => names.push(event));
    await manager.spawn(provider, { name: 'job', cwd: dir, prompt: 'summarise the repo' });
    await waitFor(() => names.includes('agent-exited'), 'run end');
    expect(names).toEqual(['session-learned', 'turn-started', 'tool-started', 'turn-ended', 'agent-exited']);
    expect(await manager.get('job')).toMatchObject({ sessionId: 'headless-1', state: 'exited', lastExit: { exitCode: 0, expected: true } });
    await expect(manager.send('job', 'more')).rejects.toSatisfy(UnsupportedCapabilityError.isInstance);
    await manager[Symbol.asyncDispose]();
  });
});
