import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { HOST_TAG } from './board-store.js';
import { HOST } from './fs-utils.js';
import { createFileCoordination, defaultCoordinationDir, type FileCoordinationBackend } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'agentmux-coord-file-'));
let n = 0;
const open: FileCoordinationBackend[] = [];
async function make(options: { recover?: boolean } = {}): Promise<FileCoordinationBackend> {
  const b = await createFileCoordination({ dir: join(root, `s${(n += 1)}`), ...options });
  open.push(b);
  return b;
}
afterEach(async () => {
  for (const b of open.splice(0)) await b[Symbol.asyncDispose]();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A pid that existed and is now dead. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('file backend specifics', () => {
  it('defaults to $AGENTMUX_HOME/coordination, else ~/.agentmux/coordination', () => {
    expect(defaultCoordinationDir({ AGENTMUX_HOME: '/srv/mux' })).toBe('/srv/mux/coordination');
    expect(defaultCoordinationDir({ HOME: '/home/x' })).toMatch(/\.agentmux\/coordination$/);
  });

  it('reports an unusable state directory as CoordinationUnavailableError', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    await expect(createFileCoordination({ dir: join(file, 'sub') })).rejects.toMatchObject({ code: 'AGENTMUX_COORDINATION_UNAVAILABLE' });
  });

  it('keeps state readable with cat/jq: JSON files and JSONL logs', async () => {
    const b = await make();
    const lock = await b.locks.acquire('deploy', { ttlMs: 5_000 });
    expect(JSON.parse(readFileSync(join(b.dir, 'locks', 'fence', 'deploy'), 'utf8'))).toBe(lock.token);
    expect(JSON.parse(readFileSync(join(b.dir, 'locks', 'held', 'deploy.lock'), 'utf8').split('\n')[0] ?? '')).toMatchObject({ token: lock.token, pid: process.pid });
    await lock.release();
    await b.board.add({ id: 'job', title: 'job' });
    await (await b.board.claim({ worker: 'w', leaseMs: 5_000 }))!.complete({ ok: true });
    expect(JSON.parse(readFileSync(join(b.dir, 'board', 'tasks', 'job.json'), 'utf8'))).toMatchObject({ id: 'job', title: 'job' });
    expect(JSON.parse(readFileSync(join(b.dir, 'board', 'done', 'job'), 'utf8').split('\n')[0] ?? '')).toMatchObject({ completed: true, result: { ok: true } });
    const journal = readFileSync(join(b.dir, 'board', 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    expect(journal.map((e) => e.type)).toEqual(['task-added', 'task-ready', 'task-claimed', 'task-completed']);
    await b.activity.append({ actor: 'a', type: 'thing-done', payload: { x: 1 } });
    expect(JSON.parse(readFileSync(join(b.dir, 'activity', 'log.jsonl'), 'utf8'))).toMatchObject({ seq: 1, actor: 'a', type: 'thing-done' });
  });

  it('skips a line torn by a crashed writer and keeps seqs gap-free', async () => {
    const b = await make();
    await b.activity.append({ actor: 'a', type: 'step-done' });
    appendFileSync(join(b.dir, 'activity', 'log.jsonl'), '{"seq":2,"time":"2026-');
    const other = await createFileCoordination({ dir: b.dir });
    open.push(other);
    const e = await other.activity.append({ actor: 'b', type: 'step-done' });
    expect(e.seq).toBe(2);
    expect((await b.activity.query()).map((x) => x.seq)).toEqual([1, 2]);
  });

  it('breaks a lock whose holder pid is dead at once, even with a long lease', async () => {
    const b = await make();
    const held = join(b.dir, 'locks', 'held');
    mkdirSync(held, { recursive: true });
    const record = { name: 'x', owner: 'ghost', token: 7, pid: deadPid(), host: HOST, acquiredAt: Date.now(), expiresAt: Date.now() + 3_600_000, cand: 'x.ghost' };
    writeFileSync(join(held, 'x.lock'), `${JSON.stringify(record)}\n`);
    expect(await b.locks.inspect('x')).toBeNull();
    const lock = await b.locks.acquire('x', { ttlMs: 1_000, timeoutMs: 2_000 });
    expect(lock.owner).not.toBe('ghost');
    expect(readdirSync(held).filter((f) => f.includes('stale'))).toEqual([]);
    await lock.release();
  });

  it('breaks an unreadable lock file only after its grace period', async () => {
    const b = await make();
    const held = join(b.dir, 'locks', 'held');
    mkdirSync(held, { recursive: true });
    writeFileSync(join(held, 'y.lock'), '');
    expect(await b.locks.tryAcquire('y', { ttlMs: 1_000 })).toBeNull();
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(held, 'y.lock'), old, old);
    const lock = await b.locks.tryAcquire('y', { ttlMs: 1_000 });
    expect(lock).not.toBeNull();
    await lock?.release();
  });

  it('rolls forward a completion whose claimer died before publishing it', async () => {
    const b = await make();
    await b.board.add([{ id: 'a', title: 'a' }, { id: 'b', title: 'b', dependencies: ['a'] }]);
    const claim = await b.board.claim({ worker: 'w', leaseMs: 3_600_000 });
    // Simulate: the claimer (a now-dead pid) wrote its result into the lease file, then died.
    const token = `${HOST_TAG}.${deadPid()}.x1`;
    const leased = join(b.dir, 'board', 'leased');
    renameSync(join(leased, `a@${claim!.token}`), join(leased, `a@${token}`));
    writeFileSync(join(leased, `a@${token}`), `${JSON.stringify({ completed: true, token, worker: 'w', at: Date.now(), result: 42 })}\n`);
    expect(await b.board.reclaimExpired()).toBe(0);
    expect(await b.board.get('a')).toMatchObject({ status: 'done', result: 42 });
    expect((await b.board.get('b')).status).toBe('ready');
  });

  it('settles a failure left half-done in limbo by a dead process', async () => {
    const b = await make({ recover: false });
    await b.board.add({ id: 'c', title: 'c', maxAttempts: 3 });
    const claim = await b.board.claim({ worker: 'w', leaseMs: 3_600_000 });
    const token = `${HOST_TAG}.${deadPid()}.x2`;
    const board = join(b.dir, 'board');
    renameSync(join(board, 'leased', `c@${claim!.token}`), join(board, 'limbo', `c@${token}`));
    expect((await b.board.get('c')).status).toBe('running');
    await b.recover();
    expect(await b.board.get('c')).toMatchObject({ status: 'ready', failedAttempts: 1 });
    expect((await b.board.get('c')).errors[0]?.code).toBe('holder-died');
  });

  it('reclaims at once a lease whose claimer pid is dead', async () => {
    const b = await make({ recover: false });
    await b.board.add({ id: 'd', title: 'd' });
    const claim = await b.board.claim({ worker: 'w', leaseMs: 3_600_000 });
    const token = `${HOST_TAG}.${deadPid()}.x3`;
    const leased = join(b.dir, 'board', 'leased');
    renameSync(join(leased, `d@${claim!.token}`), join(leased, `d@${token}`));
    expect(await b.board.reclaimExpired()).toBe(1);
    expect((await b.board.get('d')).errors[0]?.code).toBe('holder-died');
  });
});

describe('file backend cleanup', () => {
  it('recover() removes lock candidate files of dead processes, keeps live ones', async () => {
    const b = await make();
    const lock = await b.locks.acquire('kept', { ttlMs: 5_000 });
    const cand = join(b.dir, 'locks', 'cand');
    const ghost = `ghost.${deadPid()}-abcd1234-1`;
    writeFileSync(join(cand, ghost), '{}\n');
    await b.recover();
    const left = readdirSync(cand);
    expect(left).not.toContain(ghost);
    expect(left.some((f) => f.startsWith('kept.'))).toBe(true);
    expect(await lock.isHeld()).toBe(true);
    await lock.release();
  });
});
