import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transpileTree } from '@agentmux/testkit';
import { createFileCoordination } from './index.js';

const packageRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixtures = fileURLToPath(new URL('./__fixtures__/', import.meta.url));
let work: string;
let backendModule: string;
const children = new Set<ChildProcess>();

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'agentmux-coord-faults-'));
  backendModule = transpileTree(fileURLToPath(new URL('./index.ts', import.meta.url)), join(work, 'js'), packageRoot);
});

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

/** Starts a fixture process; resolves once it reported ready. */
function start(script: string, args: string[]): Promise<ChildProcess> {
  const child = fork(join(fixtures, script), [backendModule, ...args], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code, signal) => reject(new Error(`fixture ${script} exited early (${code ?? signal})`)));
  });
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function lines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0);
  } catch {
    return [];
  }
}

describe('file coordination under kill -9', () => {
  it('16 claimers, random kill -9s: 2,000 tasks, none completed twice, none lost, every lease reclaimed', async () => {
    const dir = join(work, 'claims');
    const setup = await createFileCoordination({ dir });
    await setup.board.add(Array.from({ length: 2_000 }, (_, i) => ({ id: `task-${i}`, title: `task ${i}`, priority: i % 5 })));
    await setup[Symbol.asyncDispose]();

    const acks: string[] = [];
    let started = 0;
    const live = new Set<ChildProcess>();
    const pending: Promise<unknown>[] = [];
    const spawn = (): Promise<void> => {
      const p = start('claim-worker.mjs', [dir, join(work, `claims-ack-${started++}`), '5000', '30']).then((c) => {
        live.add(c);
        c.once('exit', () => live.delete(c));
      });
      pending.push(p);
      return p;
    };
    await Promise.all(Array.from({ length: 16 }, spawn));
    let kills = 0;
    const observer = await createFileCoordination({ dir, recover: false });
    const deadline = Date.now() + 50_000;
    for (;;) {
      const stats = await observer.board.stats();
      if (stats.done + stats.dead === 2_000 || Date.now() > deadline) break;
      if (kills < 40 && live.size > 8) {
        const victims = [...live];
        const victim = victims[Math.floor(Math.random() * victims.length)] as ChildProcess;
        live.delete(victim);
        await kill9(victim);
        kills += 1;
        void spawn(); // the replacement starts while we keep killing
      }
      await sleep(40 + Math.random() * 60);
    }
    await Promise.all(pending);
    await Promise.all([...live].map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    for (let i = 0; i < started; i += 1) acks.push(...lines(join(work, `claims-ack-${i}`)));

    const stats = await observer.board.stats();
    expect(kills).toBeGreaterThanOrEqual(10);
    expect(stats).toMatchObject({ done: 2_000, dead: 0, ready: 0, running: 0, blocked: 0 });
    expect(new Set(acks).size).toBe(acks.length); // no task acknowledged as completed twice
    // The done/ token files are the truth: one per task, each with its completion record.
    const doneFiles = readdirSync(join(dir, 'board', 'done'));
    expect(doneFiles).toHaveLength(2_000);
    for (const id of acks) expect(doneFiles).toContain(id);
    // The journal (an audit log: a claimer killed right after publishing may miss its line) never shows
    // a task completed twice.
    const journal = lines(join(dir, 'board', 'journal.jsonl')).map((l) => JSON.parse(l) as { type: string; task: string });
    const completions = new Map<string, number>();
    for (const e of journal) if (e.type === 'task-completed') completions.set(e.task, (completions.get(e.task) ?? 0) + 1);
    expect(completions.size).toBeGreaterThan(1_990);
    expect([...completions.values()].every((n) => n === 1)).toBe(true);
    // Every lease held by a killed claimer was reclaimed: nothing is left leased, and reclaims happened.
    expect(readdirSync(join(dir, 'board', 'leased'))).toEqual([]);
    expect(journal.filter((e) => e.type === 'task-reclaimed').length).toBeGreaterThan(0);
    await observer[Symbol.asyncDispose]();
  }, 90_000);

  it('kill -9 of writers 200 times: the state always loads and no acknowledged write is lost', async () => {
    const dir = join(work, 'writes');
    const lanes = 4;
    const perLane = 50;
    const ackFiles: string[] = [];
    const runLane = async (lane: number): Promise<void> => {
      for (let round = 0; round < perLane; round += 1) {
        const ackFile = join(work, `writes-ack-${lane}-${round}`);
        ackFiles.push(ackFile);
        const child = await start('crash-writer.mjs', [dir, ackFile, `l${lane}r${round}`]);
        await sleep(5 + Math.random() * 40);
        await kill9(child);
        // The state must load after every kill.
        const check = await createFileCoordination({ dir });
        await check.board.stats();
        await check[Symbol.asyncDispose]();
      }
    };
    await Promise.all(Array.from({ length: lanes }, (_, lane) => runLane(lane)));

    const backend = await createFileCoordination({ dir });
    const acked = ackFiles.flatMap(lines).map((l) => l.split(' ') as [string, string]);
    const events = await backend.activity.query();
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1)); // gap-free, unique
    const eventKeys = new Set(events.map((e) => (e.payload as { key: string }).key));
    const stats = await backend.board.stats();
    const inboxDir = join(dir, 'inboxes', 'crash-inbox');
    const messages = new Set([...readdirSafe(join(inboxDir, 'new')), ...readdirSafe(join(inboxDir, 'cur'))].map((n) => n.split(/[~.]/)[0]));
    let checked = 0;
    for (const [kind, key] of acked) {
      if (kind === 'activity') expect(eventKeys.has(key)).toBe(true);
      if (kind === 'task') expect((await backend.board.get(key)).id).toBe(key);
      if (kind === 'message') expect(messages.has(key)).toBe(true);
      if (kind === 'done') expect((await backend.board.get(key)).status).toBe('done');
      checked += 1;
    }
    expect(checked).toBeGreaterThan(50);
    expect(stats.running).toBe(0); // leases of killed writers were reclaimed on open
    await backend[Symbol.asyncDispose]();
  }, 120_000);
});

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
