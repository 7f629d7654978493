import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { AgentmuxError, BackendError, CoordinationUnavailableError } from '@agentmux/core';

export const BACKEND_ID = 'redis';

/** Redis error replies that mean "the server cannot serve right now", not "the command is wrong". */
const TRANSIENT_REPLY = /^(OOM|LOADING|MISCONF|READONLY|MASTERDOWN|BUSY|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)\b/;

/** A Lua script run with EVALSHA, falling back to EVAL when the server does not have it (after a restart). */
export class LuaScript {
  readonly sha: string;
  constructor(
    readonly name: string,
    readonly source: string,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }
}

type Listener = (message: string) => void;

/**
 * Shared state of one Redis backend instance: the command connection, a lazily opened subscriber connection,
 * blocking connections for followers, error mapping and the disposed flag.
 */
export class RedisContext {
  private disposed = false;
  private subscriber: Redis | undefined;
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly subscriptions = new Map<string, Promise<void>>();
  private readonly extraConnections = new Set<Redis>();
  private readonly closeHooks = new Set<() => void>();
  readonly host = hostname();

  constructor(
    readonly client: Redis,
    readonly prefix: string,
    private readonly ownsClient: boolean,
  ) {}

  /** The prefixed key. */
  key(...parts: string[]): string {
    return `${this.prefix}${parts.join(':')}`;
  }

  get isOpen(): boolean {
    return !this.disposed;
  }

  assertOpen(): void {
    if (this.disposed) throw new CoordinationUnavailableError(BACKEND_ID, 'the backend was disposed', {});
  }

  /** Maps any failure of a Redis call to an agentmux error. */
  mapError(operation: string, error: unknown): Error {
    if (AgentmuxError.isInstance(error)) return error;
    if (this.disposed) return new CoordinationUnavailableError(BACKEND_ID, 'the backend was disposed', { cause: error });
    const message = error instanceof Error ? error.message : String(error);
    const isReply = error instanceof Error && error.name === 'ReplyError';
    if (isReply && !TRANSIENT_REPLY.test(message)) {
      return new BackendError(BACKEND_ID, operation, message, { cause: error });
    }
    return new CoordinationUnavailableError(BACKEND_ID, `${operation}: ${message}`, { cause: error });
  }

  /** Runs `fn` against the command connection, mapping errors. */
  async call<T>(operation: string, fn: (client: Redis) => Promise<T>): Promise<T> {
    this.assertOpen();
    try {
      return await fn(this.client);
    } catch (error) {
      throw this.mapError(operation, error);
    }
  }

  /** Runs a Lua script (EVALSHA, EVAL on NOSCRIPT). */
  async run(script: LuaScript, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    return this.call(script.name, async (client) => {
      try {
        return await client.evalsha(script.sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
          return client.eval(script.source, keys.length, ...keys, ...args);
        }
        throw error;
      }
    });
  }

  /**
   * Listens on a pub/sub channel (an optimisation: every waiter also polls, so a lost message only costs
   * latency). Returns the unsubscribe function.
   */
  listen(channel: string, listener: Listener): () => void {
    this.assertOpen();
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      const subscribed = this.subscriberConnection()
        .subscribe(channel)
        .then(
          () => undefined,
          () => undefined,
        );
      this.subscriptions.set(channel, subscribed);
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(channel);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) {
        this.listeners.delete(channel);
        this.subscriptions.delete(channel);
        this.subscriber?.unsubscribe(channel).catch(() => undefined);
      }
    };
  }

  /** Like `listen`, but resolves once the server confirmed the subscription (or after at most 250 ms). */
  async listenConfirmed(channel: string, listener: Listener): Promise<() => void> {
    const off = this.listen(channel, listener);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.subscriptions.get(channel),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 250);
      }),
    ]);
    clearTimeout(timer);
    return off;
  }

  private subscriberConnection(): Redis {
    if (!this.subscriber) {
      // The subscriber queues SUBSCRIBE while (re)connecting and resubscribes after a reconnect.
      const sub = this.client.duplicate({ enableOfflineQueue: true, lazyConnect: false });
      sub.on('error', () => undefined);
      sub.on('message', (channel: string, message: string) => {
        for (const l of this.listeners.get(channel) ?? []) l(message);
      });
      this.subscriber = sub;
    }
    return this.subscriber;
  }

  /** A dedicated, connected connection for blocking reads (XREAD BLOCK); closed on dispose or by `release`. */
  async blockingConnection(operation: string): Promise<{ connection: Redis; release: () => void }> {
    this.assertOpen();
    const connection = this.client.duplicate({ lazyConnect: true, commandTimeout: undefined });
    connection.on('error', () => undefined);
    this.extraConnections.add(connection);
    const release = (): void => {
      this.extraConnections.delete(connection);
      connection.disconnect();
    };
    try {
      await connection.connect();
    } catch (error) {
      release();
      throw this.mapError(operation, error);
    }
    return { connection, release };
  }

  /** Registers a hook run on dispose (wakes waiters so they reject). Returns the unregister function. */
  onClose(hook: () => void): () => void {
    this.closeHooks.add(hook);
    return () => this.closeHooks.delete(hook);
  }

  /** Closes every connection this backend opened (and the command one unless it was passed in). */
  async close(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const hook of [...this.closeHooks]) hook();
    this.closeHooks.clear();
    this.listeners.clear();
    this.subscriptions.clear();
    for (const c of this.extraConnections) c.disconnect();
    this.extraConnections.clear();
    this.subscriber?.disconnect();
    if (this.ownsClient) {
      try {
        await this.client.quit();
      } catch {
        this.client.disconnect();
      }
    }
  }
}

/** Integer reply helper: Lua integers come back as numbers, strings as strings. */
export function asNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}
