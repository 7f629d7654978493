import {
  BarrierBrokenError,
  BarrierOptionsSchema,
  BarrierWaitOptionsSchema,
  InvalidArgumentError,
  TimeoutError,
  type BarrierArrival,
  type BarrierOptions,
  type BarrierServiceV1,
  type BarrierState,
  type BarrierV1,
  type BarrierWaitOptions,
} from '@agentmux/core';
import { LuaScript, asNumber, type RedisContext } from './redis-context.js';
import { checkName, parseOrThrow } from './validate.js';
import { Waker, abortReason } from './waker.js';

/** How long the outcome of a finished generation is kept for late waiters (seconds). */
const OUTCOME_TTL_S = 7 * 24 * 3600;
const MAX_POLL_MS = 250;

/** KEYS: barrier hash. ARGV: parties. → the stored party count. */
const OPEN = new LuaScript(
  'barrier-open',
  `redis.call('HSETNX', KEYS[1], 'parties', ARGV[1])
redis.call('HSETNX', KEYS[1], 'generation', 0)
redis.call('HSETNX', KEYS[1], 'arrived', 0)
return tonumber(redis.call('HGET', KEYS[1], 'parties'))`,
);

/** KEYS: barrier hash. ARGV: outcome key prefix, channel, ttl. → {'ok', gen, index, last} | {'broken', gen, reason}. */
const ARRIVE = new LuaScript(
  'barrier-arrive',
  `local h = redis.call('HMGET', KEYS[1], 'parties', 'generation', 'arrived', 'broken')
if not h[1] then return {'missing'} end
local parties = tonumber(h[1])
local gen = tonumber(h[2]) or 0
local arrived = tonumber(h[3]) or 0
if h[4] then return {'broken', gen, h[4]} end
if arrived + 1 >= parties then
  redis.call('HSET', KEYS[1], 'generation', gen + 1, 'arrived', 0)
  redis.call('SET', ARGV[1] .. gen, 'tripped', 'EX', ARGV[3])
  redis.call('PUBLISH', ARGV[2], gen)
  return {'ok', gen, arrived, 1}
end
redis.call('HSET', KEYS[1], 'arrived', arrived + 1)
return {'ok', gen, arrived, 0}`,
);

/**
 * KEYS: barrier hash. ARGV: outcome key prefix, channel, reason, ttl, only-generation ('' = current).
 * → {'broken', gen} | {'already', gen, reason} | {'gone', outcome} (that generation already ended).
 */
const BREAK = new LuaScript(
  'barrier-break',
  `local h = redis.call('HMGET', KEYS[1], 'generation', 'broken')
local gen = tonumber(h[1]) or 0
if ARGV[5] ~= '' and tonumber(ARGV[5]) ~= gen then
  return {'gone', redis.call('GET', ARGV[1] .. ARGV[5]) or 'tripped'}
end
if h[2] then return {'already', gen, h[2]} end
redis.call('HSET', KEYS[1], 'broken', ARGV[3])
redis.call('SET', ARGV[1] .. gen, 'broken:' .. ARGV[3], 'EX', ARGV[4])
redis.call('PUBLISH', ARGV[2], gen)
return {'broken', gen}`,
);

/** KEYS: barrier hash. ARGV: outcome key prefix, channel, ttl. */
const RESET = new LuaScript(
  'barrier-reset',
  `local h = redis.call('HMGET', KEYS[1], 'generation', 'arrived', 'broken')
local gen = tonumber(h[1]) or 0
local arrived = tonumber(h[2]) or 0
if h[3] then
  redis.call('HDEL', KEYS[1], 'broken')
  redis.call('HSET', KEYS[1], 'generation', gen + 1, 'arrived', 0)
elseif arrived > 0 then
  redis.call('SET', ARGV[1] .. gen, 'broken:reset', 'EX', ARGV[3])
  redis.call('HSET', KEYS[1], 'generation', gen + 1, 'arrived', 0)
  redis.call('PUBLISH', ARGV[2], gen)
end
return 1`,
);

class RedisBarrier implements BarrierV1 {
  constructor(
    private readonly ctx: RedisContext,
    readonly name: string,
    readonly parties: number,
  ) {}

  private get hash(): string {
    return this.ctx.key('barrier', this.name);
  }
  private get outcomePrefix(): string {
    return this.ctx.key('barrier-outcome', this.name, '');
  }
  private get channel(): string {
    return this.ctx.key('barrier-events', this.name);
  }

  async arrive(options: Omit<BarrierWaitOptions, 'timeoutMs' | 'signal'> = {}): Promise<BarrierArrival> {
    parseOrThrow(BarrierWaitOptionsSchema, options, 'options', 'pass { party? }');
    const reply = (await this.ctx.run(ARRIVE, [this.hash], [this.outcomePrefix, this.channel, OUTCOME_TTL_S])) as unknown[];
    if (reply[0] === 'missing') {
      await this.ctx.run(OPEN, [this.hash], [this.parties]);
      return this.arrive(options);
    }
    if (reply[0] === 'broken') throw new BarrierBrokenError(this.name, asNumber(reply[1]), String(reply[2]));
    return { generation: asNumber(reply[1]), index: asNumber(reply[2]), last: asNumber(reply[3]) === 1 };
  }

  async wait(options: BarrierWaitOptions & { arrival?: BarrierArrival } = {}): Promise<BarrierArrival> {
    const { signal, arrival: given, ...rest } = options;
    const opts = parseOrThrow(BarrierWaitOptionsSchema, rest, 'options', 'pass { party?, timeoutMs?, signal?, arrival? }');
    if (signal?.aborted) throw abortReason(signal);
    const party = opts.party ?? `pid:${process.pid}`;
    const deadline = opts.timeoutMs === undefined ? Infinity : Date.now() + opts.timeoutMs;
    const waker = new Waker();
    const unlisten = this.ctx.listen(this.channel, () => waker.notify());
    const unhook = this.ctx.onClose(() => waker.notify());
    try {
      const arrival = given ?? (await this.arrive({ party }));
      if (arrival.last) return arrival;
      for (;;) {
        const outcome = await this.outcome(arrival.generation);
        if (outcome === 'tripped') return arrival;
        if (outcome !== undefined) throw new BarrierBrokenError(this.name, arrival.generation, outcome);
        const remaining = deadline - Date.now();
        if (remaining <= 0) return await this.timeOut(arrival, party, opts.timeoutMs ?? 0);
        await waker.wait(Math.min(remaining, MAX_POLL_MS), signal);
      }
    } finally {
      unlisten();
      unhook();
    }
  }

  async break(reason: string): Promise<void> {
    if (typeof reason !== 'string' || reason.length === 0) {
      throw new InvalidArgumentError('reason', 'must be a non-empty string', 'say why the barrier is broken');
    }
    await this.ctx.run(BREAK, [this.hash], [this.outcomePrefix, this.channel, reason, OUTCOME_TTL_S, '']);
  }

  async reset(): Promise<void> {
    await this.ctx.run(RESET, [this.hash], [this.outcomePrefix, this.channel, OUTCOME_TTL_S]);
  }

  async state(): Promise<BarrierState> {
    const hash = this.hash;
    const [generation, arrived, broken] = await this.ctx.call('barrier-state', (c) => c.hmget(hash, 'generation', 'arrived', 'broken'));
    return { name: this.name, parties: this.parties, generation: Number(generation ?? 0), arrived: Number(arrived ?? 0), broken: broken ?? null };
  }

  /** `'tripped'`, the broken reason, or undefined while the generation is still open. */
  private async outcome(generation: number): Promise<string | undefined> {
    const key = `${this.outcomePrefix}${generation}`;
    const hash = this.hash;
    const [value, current] = await this.ctx.call('barrier-wait', async (c) => Promise.all([c.get(key), c.hget(hash, 'generation')]));
    if (value === 'tripped') return 'tripped';
    if (value?.startsWith('broken:')) return value.slice('broken:'.length);
    // The outcome record expired long after the generation ended: it tripped or was reset; treat as passed.
    if (value === null && Number(current ?? 0) > generation) return 'tripped';
    return undefined;
  }

  private async timeOut(arrival: BarrierArrival, party: string, timeoutMs: number): Promise<BarrierArrival> {
    const reason = `party "${party}" timed out after ${timeoutMs} ms`;
    const reply = (await this.ctx.run(BREAK, [this.hash], [this.outcomePrefix, this.channel, reason, OUTCOME_TTL_S, arrival.generation])) as unknown[];
    if (reply[0] === 'gone') {
      const outcome = String(reply[1]);
      if (outcome === 'tripped') return arrival;
      throw new BarrierBrokenError(this.name, arrival.generation, outcome.replace(/^broken:/, ''));
    }
    if (reply[0] === 'already') throw new BarrierBrokenError(this.name, arrival.generation, String(reply[2]));
    throw new TimeoutError(`barrier:${this.name}`, timeoutMs, 'The other parties did not arrive in time; the generation is now broken (reset() it).');
  }
}

/** Cyclic barriers on Redis: one hash per barrier, an outcome key per finished generation, pub/sub wake-ups. */
export class RedisBarrierService implements BarrierServiceV1 {
  readonly specificationVersion = 'v1' as const;

  constructor(private readonly ctx: RedisContext) {}

  async get(name: string, options: BarrierOptions): Promise<BarrierV1> {
    checkName(name, 'name');
    const opts = parseOrThrow(BarrierOptionsSchema, options, 'options', 'pass { parties } with 1-10000 parties');
    const stored = asNumber(await this.ctx.run(OPEN, [this.ctx.key('barrier', name)], [opts.parties]));
    if (stored !== opts.parties) {
      throw new InvalidArgumentError(
        'options.parties',
        `barrier "${name}" already exists with ${stored} parties, not ${opts.parties}`,
        `pass parties: ${stored}, or use another barrier name`,
      );
    }
    return new RedisBarrier(this.ctx, name, opts.parties);
  }
}
