import { Redis, type RedisOptions } from 'ioredis';
import { CoordinationUnavailableError, InvalidArgumentError, type CoordinationBackendV1 } from '@agentmux/core';
import { RedisActivityLog } from './redis-activity-log.js';
import { RedisBarrierService } from './redis-barriers.js';
import { RedisBoard } from './redis-board.js';
import { BACKEND_ID, RedisContext } from './redis-context.js';
import { RedisInbox } from './redis-inbox.js';
import { RedisLockService } from './redis-locks.js';

/** Options of `createRedisCoordination`. Give `url` or `client`. */
export interface RedisCoordinationOptions {
  /** `redis://[user:pass@]host:port[/db]` (or `rediss://`). The backend opens and owns its connections. */
  url?: string;
  /**
   * An existing ioredis client. The backend duplicates it for pub/sub and blocking reads and does not quit
   * it on dispose. For fast failure when Redis is down, create it with `enableOfflineQueue: false` and a small
   * `maxRetriesPerRequest` (as the backend does for `url`).
   */
  client?: Redis;
  /** Key prefix of every key and channel (default `agentmux:`). Backends with different prefixes are independent. */
  prefix?: string;
  /** Per-command timeout in ms (default 5 000): a stalled server rejects with `CoordinationUnavailableError`. */
  commandTimeoutMs?: number;
  /** How long to wait for the first connection in ms (default 5 000). */
  connectTimeoutMs?: number;
  /**
   * Also reclaim expired board leases every this many ms in the background (default: off; `claim()` and
   * `board.reclaimExpired()` reclaim anyway). Useful when nobody claims for a while but dependents of a task
   * whose last attempt expired should be skipped promptly. Errors of the sweep (Redis down) are ignored.
   */
  sweepIntervalMs?: number;
}

/** The Redis coordination backend. */
export interface RedisCoordinationBackend extends CoordinationBackendV1 {
  readonly id: 'redis';
  /** The key prefix in use. */
  readonly prefix: string;
  /** The connection URL when opened with `url` (for other processes to open the same state), else undefined. */
  readonly url: string | undefined;
}

const PREFIX = /^[A-Za-z0-9_.:{}-]{0,128}$/;

/** ioredis options for fail-fast behaviour: no offline queue, no per-request retries, bounded commands. */
function clientOptions(commandTimeoutMs: number, connectTimeoutMs: number): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: connectTimeoutMs,
    // Keep reconnecting in the background (every ≤ 1 s) so the backend recovers after a Redis restart.
    retryStrategy: (times: number) => Math.min(times * 100, 1_000),
  };
}

/**
 * Opens the Redis coordination backend (locks, barriers, task board, inboxes, activity log).
 *
 * Durability: acknowledged writes survive a Redis restart only when the server persists them before
 * replying: run Redis with `appendonly yes` and `appendfsync always` (with `everysec`, up to one second of
 * acknowledged writes can be lost on a crash of the Redis host). While Redis is down, every operation rejects
 * with `CoordinationUnavailableError` within about `commandTimeoutMs`; the backend reconnects by itself.
 * Needs Redis ≥ 6.2 (exclusive XRANGE, Lua with TIME); a single server (not Cluster).
 */
export async function createRedisCoordination(options: RedisCoordinationOptions): Promise<RedisCoordinationBackend> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', 'must be an object', 'pass { url } or { client }');
  }
  const { url, client: given } = options;
  if ((url === undefined) === (given === undefined)) {
    throw new InvalidArgumentError('options.url', 'give exactly one of url and client', 'pass { url: "redis://127.0.0.1:6379" } or { client }');
  }
  if (url !== undefined && (typeof url !== 'string' || !/^rediss?:\/\//.test(url))) {
    throw new InvalidArgumentError('options.url', 'must be a redis:// or rediss:// URL', 'pass e.g. redis://127.0.0.1:6379');
  }
  const prefix = options.prefix ?? 'agentmux:';
  if (typeof prefix !== 'string' || !PREFIX.test(prefix)) {
    throw new InvalidArgumentError('options.prefix', 'must be 0-128 characters from [A-Za-z0-9_.:{}-]', 'pass e.g. "agentmux:" or "team-a:"');
  }
  for (const field of ['commandTimeoutMs', 'connectTimeoutMs', 'sweepIntervalMs'] as const) {
    const v = options[field];
    if (v !== undefined && (!Number.isInteger(v) || v < 1)) {
      throw new InvalidArgumentError(`options.${field}`, 'must be a positive integer of ms', 'leave it out for the default 5000');
    }
  }
  const commandTimeoutMs = options.commandTimeoutMs ?? 5_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
  let client: Redis;
  if (given) {
    client = given;
    if (client.status === 'wait') {
      try {
        await client.connect();
      } catch (error) {
        throw new CoordinationUnavailableError(BACKEND_ID, `cannot connect the given client: ${(error as Error).message}`, { cause: error });
      }
    }
  } else {
    client = new Redis(url as string, clientOptions(commandTimeoutMs, connectTimeoutMs));
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      throw new CoordinationUnavailableError(BACKEND_ID, `cannot connect to ${redactUrl(url as string)}: ${(error as Error).message}`, { cause: error });
    }
  }
  const ctx = new RedisContext(client, prefix, given === undefined);
  try {
    await ctx.call('ping', (c) => c.ping());
  } catch (error) {
    await ctx.close();
    throw error;
  }
  const locks = new RedisLockService(ctx);
  const board = new RedisBoard(ctx);
  let sweeping = false;
  const sweep =
    options.sweepIntervalMs === undefined
      ? undefined
      : setInterval(() => {
          if (sweeping || !ctx.isOpen) return;
          sweeping = true;
          board
            .reclaimExpired()
            .catch(() => undefined)
            .finally(() => {
              sweeping = false;
            });
        }, options.sweepIntervalMs);
  sweep?.unref();
  let disposed = false;
  return {
    specificationVersion: 'v1',
    id: 'redis',
    prefix,
    url,
    locks,
    barriers: new RedisBarrierService(ctx),
    board,
    inboxes: new RedisInbox(ctx),
    activity: new RedisActivityLog(ctx),
    async [Symbol.asyncDispose](): Promise<void> {
      if (disposed) return;
      disposed = true;
      if (sweep) clearInterval(sweep);
      await locks.releaseAll();
      await ctx.close();
    },
  };
}

/** The URL without its password (for messages). */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
