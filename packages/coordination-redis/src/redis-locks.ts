import {
  LeaseLostError,
  LockAcquireOptionsSchema,
  TimeoutError,
  type LockAcquireOptions,
  type LockInfo,
  type LockServiceV1,
  type LockV1,
} from '@agentmux/core';
import { LuaScript, asNumber, type RedisContext } from './redis-context.js';
import { checkName, iso, parseOrThrow } from './validate.js';
import { Waker } from './waker.js';

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** KEYS: lock hash, fence counter. ARGV: ttlMs, owner, pid, host. → {token, expiresAt} or {0, pttl}. */
const ACQUIRE = new LuaScript(
  'lock-acquire',
  `${NOW}
if redis.call('EXISTS', KEYS[1]) == 1 then return {0, redis.call('PTTL', KEYS[1])} end
local token = redis.call('INCR', KEYS[2])
local ttl = tonumber(ARGV[1])
redis.call('HSET', KEYS[1], 'token', token, 'owner', ARGV[2], 'pid', ARGV[3], 'host', ARGV[4], 'acquiredAt', now, 'expiresAt', now + ttl)
redis.call('PEXPIRE', KEYS[1], ttl)
return {token, now + ttl}`,
);

/** KEYS: lock hash. ARGV: token, channel. → 1 released, 0 not held. */
const RELEASE = new LuaScript(
  'lock-release',
  `if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[2], 'released')
return 1`,
);

/** KEYS: lock hash. ARGV: token, ttlMs. → new expiresAt, or -1 when not held. */
const EXTEND = new LuaScript(
  'lock-extend',
  `${NOW}
if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] then return -1 end
local ttl = tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'expiresAt', now + ttl)
redis.call('PEXPIRE', KEYS[1], ttl)
return now + ttl`,
);

/** Longest pause between two attempts of a waiting `acquire` (pub/sub usually wakes it sooner). */
const MAX_POLL_MS = 250;

/** A grant held through Redis. */
class RedisLock implements LockV1 {
  private released = false;

  constructor(
    private readonly service: RedisLockService,
    readonly name: string,
    readonly owner: string,
    readonly token: number,
    public expiresAt: number,
    private readonly ttlMs: number,
  ) {}

  async extend(ttlMs?: number): Promise<void> {
    const ttl = ttlMs === undefined ? this.ttlMs : parseOrThrow(LockAcquireOptionsSchema.shape.ttlMs, ttlMs, 'ttlMs', 'pass a positive integer of ms');
    const ctx = this.service.ctx;
    const result = asNumber(await ctx.run(EXTEND, [this.service.lockKey(this.name)], [String(this.token), ttl]));
    if (this.released || result < 0) throw new LeaseLostError(`lock:${this.name}`, String(this.token), 'It expired and was granted to someone else, or was released; acquire it again.');
    this.expiresAt = result;
  }

  async release(): Promise<boolean> {
    if (this.released) return false;
    const ctx = this.service.ctx;
    const result = asNumber(await ctx.run(RELEASE, [this.service.lockKey(this.name)], [String(this.token), this.service.channel(this.name)]));
    this.released = true;
    this.service.forget(this);
    return result === 1;
  }

  async isHeld(): Promise<boolean> {
    if (this.released) return false;
    const key = this.service.lockKey(this.name);
    const token = await this.service.ctx.call('lock-is-held', (c) => c.hget(key, 'token'));
    return token === String(this.token);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.release();
  }
}

/** Locks on Redis: a hash per held lock with a PX lease, a persistent INCR counter per name for fencing. */
export class RedisLockService implements LockServiceV1 {
  readonly specificationVersion = 'v1' as const;
  private readonly held = new Set<RedisLock>();

  constructor(readonly ctx: RedisContext) {}

  lockKey(name: string): string {
    return this.ctx.key('lock', name);
  }

  channel(name: string): string {
    return this.ctx.key('lock-released', name);
  }

  forget(lock: RedisLock): void {
    this.held.delete(lock);
  }

  async acquire(name: string, options: LockAcquireOptions): Promise<LockV1> {
    checkName(name, 'name');
    const opts = parseOrThrow(LockAcquireOptionsSchema, options, 'options', 'pass { ttlMs, timeoutMs?, owner? }');
    this.ctx.assertOpen();
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const deadline = Date.now() + timeoutMs;
    // Fast path: one attempt. Under contention, subscribe to release notices, then retry on each notice
    // or after min(lease left, 250 ms) (an expiry publishes nothing).
    const first = await this.attempt(name, opts.ttlMs, opts.owner);
    if (first.lock) return first.lock;
    const timedOut = (): TimeoutError =>
      new TimeoutError(`lock:${name}`, timeoutMs, 'Another holder kept it; raise timeoutMs or check who holds it with inspect().');
    if (Date.now() >= deadline) throw timedOut();
    const waker = new Waker();
    const unhook = this.ctx.onClose(() => waker.notify());
    let unlisten: () => void = () => undefined;
    try {
      unlisten = await this.ctx.listenConfirmed(this.channel(name), () => waker.notify());
      let pttl = 0; // the first retry runs at once: a release may have come before the subscription
      for (;;) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw timedOut();
        await waker.wait(Math.min(remaining, pttl, MAX_POLL_MS), options.signal);
        const attempt = await this.attempt(name, opts.ttlMs, opts.owner);
        if (attempt.lock) return attempt.lock;
        pttl = Math.max(1, attempt.pttl);
      }
    } finally {
      unlisten();
      unhook();
    }
  }

  async tryAcquire(name: string, options: Omit<LockAcquireOptions, 'timeoutMs' | 'signal'>): Promise<LockV1 | null> {
    checkName(name, 'name');
    const opts = parseOrThrow(LockAcquireOptionsSchema, options, 'options', 'pass { ttlMs, owner? }');
    return (await this.attempt(name, opts.ttlMs, opts.owner)).lock;
  }

  async inspect(name: string): Promise<LockInfo | null> {
    checkName(name, 'name');
    const key = this.lockKey(name);
    const h = await this.ctx.call('lock-inspect', (c) => c.hgetall(key));
    if (!h.token) return null;
    const pid = Number(h.pid);
    return {
      name,
      owner: h.owner ?? '',
      token: Number(h.token),
      pid: Number.isInteger(pid) && pid > 0 ? pid : null,
      host: h.host ?? '',
      acquiredAt: iso(Number(h.acquiredAt)),
      expiresAt: iso(Number(h.expiresAt)),
    };
  }

  /** Releases every grant this instance still holds (on dispose). */
  async releaseAll(): Promise<void> {
    await Promise.allSettled([...this.held].map((l) => l.release()));
  }

  private async attempt(name: string, ttlMs: number, owner: string | undefined): Promise<{ lock: RedisLock | null; pttl: number }> {
    const who = owner ?? `pid:${process.pid}`;
    const reply = (await this.ctx.run(ACQUIRE, [this.lockKey(name), this.ctx.key('lock-fence', name)], [ttlMs, who, process.pid, this.ctx.host])) as unknown[];
    const token = asNumber(reply[0]);
    if (token === 0) return { lock: null, pttl: asNumber(reply[1]) };
    const lock = new RedisLock(this, name, who, token, asNumber(reply[1]), ttlMs);
    this.held.add(lock);
    return { lock, pttl: 0 };
  }
}
