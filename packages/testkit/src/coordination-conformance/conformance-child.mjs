// A worker process for the coordination conformance suite and fault tests. Started with
// `fork(this, { execArgv: ['--import', register-ts.mjs] })`; opens the backend named by the parent
// ({ module, export, args }) and runs scripted commands sent over IPC. Replies { id, ok, value | error }.
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';

let backend;
const errorOf = (e) => ({ name: e?.name, code: e?.code, message: String(e?.message ?? e) });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const commands = {
  async open({ module, exportName, args }) {
    const mod = await import(module);
    backend = await mod[exportName](...args);
    return { pid: process.pid };
  },

  /** Increments a counter file under the lock `iterations` times; returns the fencing tokens seen. */
  async lockIncrement({ name, counterFile, iterations, ttlMs }) {
    const tokens = [];
    for (let i = 0; i < iterations; i += 1) {
      const lock = await backend.locks.acquire(name, { ttlMs, timeoutMs: 60_000 });
      const value = Number(readFileSync(counterFile, 'utf8') || '0');
      writeFileSync(counterFile, String(value + 1));
      tokens.push(lock.token);
      await lock.release();
    }
    return tokens;
  },

  /** Acquires and keeps the lock (the parent kills this process). */
  async lockHold({ name, ttlMs }) {
    const lock = await backend.locks.acquire(name, { ttlMs, timeoutMs: 10_000 });
    return { token: lock.token };
  },

  async barrierWait({ name, parties, timeoutMs, party }) {
    const barrier = await backend.barriers.get(name, { parties });
    return barrier.wait({ timeoutMs, party });
  },

  /**
   * Claims and completes tasks until none is left; returns the completed ids. With `ackFile`, appends
   * "<id>\n" after each acknowledged completion (for kill -9 tests).
   */
  async boardWork({ worker, leaseMs, idleRounds = 3, ackFile, workMs = 0 }) {
    const done = [];
    const fd = ackFile ? openSync(ackFile, 'a') : undefined;
    let idle = 0;
    for (;;) {
      const claim = await backend.board.claim({ worker, leaseMs });
      if (!claim) {
        idle += 1;
        if (idle >= idleRounds) break;
        await sleep(20);
        continue;
      }
      idle = 0;
      if (workMs > 0) await sleep(workMs);
      try {
        await claim.complete({ by: worker });
        done.push(claim.task.id);
        if (fd !== undefined) writeSync(fd, `${claim.task.id}\n`);
      } catch (error) {
        if (error?.code !== 'AGENTMUX_LEASE_LOST') throw error;
      }
    }
    if (fd !== undefined) closeSync(fd);
    return done;
  },

  /** Claims one task and keeps it (the parent kills this process). */
  async boardClaimHold({ worker, leaseMs }) {
    const claim = await backend.board.claim({ worker, leaseMs });
    return claim ? { id: claim.task.id, token: claim.token } : null;
  },

  async inboxReceiveAll({ agent, visibilityTimeoutMs, idleRounds = 3 }) {
    const ids = [];
    let idle = 0;
    while (idle < idleRounds) {
      const messages = await backend.inboxes.receive(agent, { max: 5, visibilityTimeoutMs });
      if (messages.length === 0) {
        idle += 1;
        await sleep(10);
        continue;
      }
      idle = 0;
      for (const m of messages) {
        ids.push(m.id);
        await backend.inboxes.ack(agent, m.id);
      }
    }
    return ids;
  },

  async activityAppend({ actor, count }) {
    const seqs = [];
    for (let i = 0; i < count; i += 1) seqs.push((await backend.activity.append({ actor, type: 'step-done', payload: { i } })).seq);
    return seqs;
  },

  /**
   * Writes forever (until killed): activity events, tasks, inbox messages, lock grants. After each call
   * returns it appends an ack line "<kind> <key>\n" to `ackFile` (one write: survives kill -9).
   */
  async writeForever({ ackFile, prefix }) {
    const fd = openSync(ackFile, 'a');
    for (let i = 0; ; i += 1) {
      const key = `${prefix}-${i}`;
      const kind = i % 4;
      if (kind === 0) {
        const e = await backend.activity.append({ actor: prefix, type: 'item-written', payload: { key } });
        writeSync(fd, `activity ${key} ${e.seq}\n`);
      } else if (kind === 1) {
        await backend.board.add({ id: key, title: key, payload: { key } });
        writeSync(fd, `task ${key}\n`);
      } else if (kind === 2) {
        const m = await backend.inboxes.send('crash-inbox', { body: key });
        writeSync(fd, `message ${key} ${m.id}\n`);
      } else {
        const claim = await backend.board.claim({ worker: prefix, leaseMs: 60_000 });
        if (claim) {
          await claim.complete({ key });
          writeSync(fd, `done ${claim.task.id}\n`);
        }
      }
    }
  },
};

process.on('message', async (msg) => {
  const { id, cmd, params } = msg;
  try {
    const fn = commands[cmd];
    if (!fn) throw new Error(`unknown command ${cmd}`);
    const value = await fn(params ?? {});
    process.send?.({ id, ok: true, value });
  } catch (error) {
    process.send?.({ id, ok: false, error: errorOf(error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
