import {
  BackendError,
  MessageInputSchema,
  ReceiveOptionsSchema,
  type InboxMessage,
  type InboxV1,
  type MessageInput,
  type ReceiveOptions,
} from '@agentmux/core';
import { BACKEND_ID, LuaScript, asNumber, type RedisContext } from './redis-context.js';
import { checkName, iso, parseOrThrow } from './validate.js';

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/**
 * KEYS: stream, in-flight zset (id -> visible again at ms), delivery counts hash, cursor (last id handed out).
 * ARGV: max, visibilityTimeoutMs. → {{id, fields, deliveryCount}, …}: timed-out ones first, then new ones.
 */
const RECEIVE = new LuaScript(
  'inbox-receive',
  `${NOW}
local max = tonumber(ARGV[1])
local vis = tonumber(ARGV[2])
local out = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, max)) do
  local e = redis.call('XRANGE', KEYS[1], id, id)
  if e[1] then
    redis.call('ZADD', KEYS[2], now + vis, id)
    out[#out + 1] = { id, e[1][2], redis.call('HINCRBY', KEYS[3], id, 1) }
  else
    redis.call('ZREM', KEYS[2], id)
    redis.call('HDEL', KEYS[3], id)
  end
end
if #out < max then
  local cursor = redis.call('GET', KEYS[4]) or '0-0'
  for _, e in ipairs(redis.call('XRANGE', KEYS[1], '(' .. cursor, '+', 'COUNT', max - #out)) do
    redis.call('ZADD', KEYS[2], now + vis, e[1])
    redis.call('HSET', KEYS[3], e[1], 1)
    redis.call('SET', KEYS[4], e[1])
    out[#out + 1] = { e[1], e[2], 1 }
  end
end
return out`,
);

/** KEYS: stream, in-flight zset, counts. ARGV: id. → 1 when the message existed. */
const ACK = new LuaScript(
  'inbox-ack',
  `local removed = redis.call('XDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HDEL', KEYS[3], ARGV[1])
return removed`,
);

/** KEYS: stream, in-flight zset. → {queued, inFlight}. */
const PENDING = new LuaScript(
  'inbox-pending',
  `${NOW}
local len = redis.call('XLEN', KEYS[1])
local held = redis.call('ZCARD', KEYS[2])
local due = redis.call('ZCOUNT', KEYS[2], '-inf', now)
return { len - held + due, held - due }`,
);

const STREAM_ID = /^\d+-\d+$/;

interface StoredMessage {
  from?: string;
  subject?: string;
  body: string;
  data?: InboxMessage['data'];
}

/**
 * Inboxes on Redis streams: one stream per agent (XADD on send; ids sort in send order), a cursor of the
 * last handed-out id, an in-flight sorted set by visibility deadline and a delivery-count hash. Receive and
 * ack are single Lua scripts, so concurrent receivers never get the same message in one visibility window.
 */
export class RedisInbox implements InboxV1 {
  readonly specificationVersion = 'v1' as const;

  constructor(private readonly ctx: RedisContext) {}

  private keys(agent: string): string[] {
    return [
      this.ctx.key('inbox', agent),
      this.ctx.key('inbox-inflight', agent),
      this.ctx.key('inbox-deliveries', agent),
      this.ctx.key('inbox-cursor', agent),
    ];
  }

  async send(to: string, message: MessageInput): Promise<InboxMessage> {
    checkName(to, 'to');
    const input = parseOrThrow(MessageInputSchema, message, 'message', 'pass { body, from?, subject?, data? } with a 1 byte - 256 KiB body');
    const stored: StoredMessage = {
      ...(input.from !== undefined ? { from: input.from } : {}),
      ...(input.subject !== undefined ? { subject: input.subject } : {}),
      body: input.body,
      ...(input.data !== undefined ? { data: input.data } : {}),
    };
    const stream = this.ctx.key('inbox', to);
    const id = await this.ctx.call('inbox-send', (c) => c.xadd(stream, '*', 'm', JSON.stringify(stored)));
    if (!id) throw new BackendError(BACKEND_ID, 'inbox-send', 'XADD returned no id');
    return toMessage(to, id, stored, 0);
  }

  async receive(agent: string, options: ReceiveOptions = {}): Promise<InboxMessage[]> {
    checkName(agent, 'agent');
    const opts = parseOrThrow(ReceiveOptionsSchema, options, 'options', 'pass { max?: 1-1000, visibilityTimeoutMs?: >= 1 }');
    const reply = (await this.ctx.run(RECEIVE, this.keys(agent), [opts.max ?? 10, opts.visibilityTimeoutMs ?? 30_000])) as [string, string[], number][];
    return reply.map(([id, fields, count]) => toMessage(agent, id, JSON.parse(fieldOf(fields, 'm')) as StoredMessage, asNumber(count)));
  }

  async ack(agent: string, id: string): Promise<boolean> {
    checkName(agent, 'agent');
    if (typeof id !== 'string' || !STREAM_ID.test(id)) return false;
    const keys = this.keys(agent).slice(0, 3);
    return asNumber(await this.ctx.run(ACK, keys, [id])) === 1;
  }

  async pending(agent: string): Promise<{ queued: number; inFlight: number }> {
    checkName(agent, 'agent');
    const reply = (await this.ctx.run(PENDING, this.keys(agent).slice(0, 2), [])) as unknown[];
    return { queued: asNumber(reply[0]), inFlight: asNumber(reply[1]) };
  }
}

function fieldOf(fields: readonly string[], name: string): string {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1] as string;
  return '{}';
}

function toMessage(to: string, id: string, stored: StoredMessage, deliveryCount: number): InboxMessage {
  return {
    id,
    to,
    ...(stored.from !== undefined ? { from: stored.from } : {}),
    ...(stored.subject !== undefined ? { subject: stored.subject } : {}),
    body: stored.body,
    ...(stored.data !== undefined ? { data: stored.data } : {}),
    sentAt: iso(Number(id.split('-')[0])),
    deliveryCount,
  };
}
