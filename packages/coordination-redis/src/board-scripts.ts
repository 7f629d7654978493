import { LuaScript } from './redis-context.js';

/*
 * Board layout under the board prefix B (ARGV[1] of every script, e.g. `agentmux:board:`):
 *   B task:<id>        hash: spec (caller JSON, never rewritten by Lua), deps, conds (JSON), queue, score,
 *                      maxAttempts, status, failedAttempts, createdAt, updatedAt (epoch ms), lease* fields,
 *                      result (caller JSON), completedBy, skipReason
 *   B errors:<id>      list of JSON {message, code?, attempt, at(ms)}
 *   B dependents:<id>  set of ids that wait for <id>
 *   B status:<status>  zset (score 0, ordered by id) per status
 *   B ready:<queue>    zset of ready ids; score = (1e6 - priority) * 1e9 + add sequence (lower first)
 *   B queues           set of queue names "<role>|<label,label>" that have (had) ready tasks
 *   B leases           zset id -> lease end (ms)
 *   B seq              add-order counter
 * Times come from the Redis server clock (TIME), so every client agrees on lease expiry.
 * Keys are derived inside the scripts: run against a single Redis (not Cluster).
 */
const LIB = `
local P = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function tkey(id) return P .. 'task:' .. id end

local function set_status(id, from, to)
  if from then redis.call('ZREM', P .. 'status:' .. from, id) end
  redis.call('ZADD', P .. 'status:' .. to, 0, id)
  redis.call('HSET', tkey(id), 'status', to, 'updatedAt', now)
end

local function make_ready(id)
  local h = redis.call('HMGET', tkey(id), 'queue', 'score')
  redis.call('SADD', P .. 'queues', h[1])
  redis.call('ZADD', P .. 'ready:' .. h[1], h[2], id)
end

local function clear_lease(id)
  redis.call('ZREM', P .. 'leases', id)
  redis.call('HDEL', tkey(id), 'leaseToken', 'leaseWorker', 'leaseAttempt', 'leaseClaimedAt', 'leaseExpiresAt', 'leaseMs')
end

local function json_equal(a, b)
  if a == b then return true end
  if type(a) ~= 'table' or type(b) ~= 'table' then return false end
  for k, v in pairs(a) do if not json_equal(v, b[k]) then return false end end
  for k, _ in pairs(b) do if a[k] == nil then return false end end
  return true
end

local function value_at(v, path)
  if path == '' then return v end
  local start = 1
  while true do
    local dot = string.find(path, '.', start, true)
    local part = string.sub(path, start, dot and (dot - 1) or -1)
    if type(v) ~= 'table' then return nil end
    local nxt = v[part]
    if nxt == nil then
      local n = tonumber(part)
      if n and n >= 0 and n == math.floor(n) then nxt = v[n + 1] end
    end
    v = nxt
    if not dot then return v end
    start = dot + 1
  end
end

local function show(v)
  if v == nil then return 'null' end
  local ok, text = pcall(cjson.encode, v)
  if ok then return text end
  return '?'
end

local function condition_fails(c, result)
  local v = value_at(result, c.path)
  local where = c.task
  if c.path ~= '' then where = where .. '.' .. c.path end
  if c.exists ~= nil then
    if (v ~= nil) == c.exists then return nil end
    if c.exists then return 'condition ' .. where .. ' exists did not hold' end
    return 'condition ' .. where .. ' is absent did not hold'
  end
  if c.equals ~= nil then
    if json_equal(v, c.equals) then return nil end
    return 'condition ' .. where .. ' == ' .. show(c.equals) .. ' did not hold (got ' .. show(v) .. ')'
  end
  if c.notEquals ~= nil and json_equal(v, c.notEquals) then
    return 'condition ' .. where .. ' != ' .. show(c.notEquals) .. ' did not hold'
  end
  return nil
end

-- 'ready' | 'blocked' | 'skipped', reason
local function evaluate(id)
  local h = redis.call('HMGET', tkey(id), 'deps', 'conds')
  local deps = cjson.decode(h[1])
  for _, d in ipairs(deps) do
    local s = redis.call('HGET', tkey(d), 'status')
    if s == 'dead' or s == 'skipped' then return 'skipped', 'dependency ' .. d .. ' is ' .. s end
  end
  for _, d in ipairs(deps) do
    if redis.call('HGET', tkey(d), 'status') ~= 'done' then return 'blocked' end
  end
  for _, c in ipairs(cjson.decode(h[2])) do
    local raw = redis.call('HGET', tkey(c.task), 'result')
    local result = nil
    if raw then result = cjson.decode(raw) end
    local why = condition_fails(c, result)
    if why then return 'skipped', why end
  end
  return 'ready'
end

-- After <first> reached a final state: promote or skip its blocked dependents, transitively.
local function settle(first)
  local queue = { first }
  local i = 1
  while queue[i] do
    local id = queue[i]
    i = i + 1
    for _, d in ipairs(redis.call('SMEMBERS', P .. 'dependents:' .. id)) do
      if redis.call('HGET', tkey(d), 'status') == 'blocked' then
        local st, why = evaluate(d)
        if st == 'ready' then
          set_status(d, 'blocked', 'ready')
          make_ready(d)
        elseif st == 'skipped' then
          set_status(d, 'blocked', 'skipped')
          redis.call('HSET', tkey(d), 'skipReason', why)
          queue[#queue + 1] = d
        end
      end
    end
  end
end

local function push_error(id, message, code, attempt)
  local e = { message = message, attempt = attempt, at = now }
  if code then e.code = code end
  redis.call('RPUSH', P .. 'errors:' .. id, cjson.encode(e))
end

local function reclaim(id)
  local k = tkey(id)
  local h = redis.call('HMGET', k, 'status', 'failedAttempts', 'maxAttempts', 'leaseAttempt', 'leaseWorker', 'leaseMs')
  if h[1] ~= 'running' then
    redis.call('ZREM', P .. 'leases', id)
    return 0
  end
  local failed = tonumber(h[2]) + 1
  push_error(id, 'lease expired: worker ' .. (h[5] or '?') .. ' did not heartbeat within ' .. (h[6] or '?') .. ' ms', 'lease-expired', tonumber(h[4]) or failed)
  clear_lease(id)
  redis.call('HSET', k, 'failedAttempts', failed)
  if failed >= tonumber(h[3]) then
    set_status(id, 'running', 'dead')
    settle(id)
  else
    set_status(id, 'running', 'ready')
    make_ready(id)
  end
  return 1
end

local function reclaim_expired(limit)
  local n = 0
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', P .. 'leases', '-inf', now, 'LIMIT', 0, limit)) do
    n = n + reclaim(id)
  end
  return n
end

local function dump(id)
  return { redis.call('HGETALL', tkey(id)), redis.call('LRANGE', P .. 'errors:' .. id, 0, -1) }
end

-- Checks that <id> is running under <token>; returns nil when fine, else an error reply.
local function check_lease(id, token)
  local h = redis.call('HMGET', tkey(id), 'status', 'leaseToken')
  if not h[1] then return { 'not-found' } end
  if h[1] ~= 'running' or h[2] ~= token then return { 'lease-lost', h[1] } end
  return nil
end
`;

const script = (name: string, body: string): LuaScript => new LuaScript(name, `${LIB}\n${body}`);

/** ARGV: B, count, then per task: id, spec, deps JSON, conds JSON, queue, priority, maxAttempts. */
export const ADD = script(
  'board-add',
  `local n = tonumber(ARGV[2])
local seen = {}
for i = 0, n - 1 do
  local base = 3 + i * 7
  local id = ARGV[base]
  if seen[id] or redis.call('EXISTS', tkey(id)) == 1 then
    return { 'invalid', 'tasks[' .. i .. '].id', 'task "' .. id .. '" already exists' }
  end
  for _, d in ipairs(cjson.decode(ARGV[base + 2])) do
    if not seen[d] and redis.call('EXISTS', tkey(d)) == 0 then
      return { 'invalid', 'tasks[' .. i .. '].dependencies', 'unknown task "' .. d .. '"' }
    end
  end
  seen[id] = true
end
local out = {}
for i = 0, n - 1 do
  local base = 3 + i * 7
  local id = ARGV[base]
  local seq = redis.call('INCR', P .. 'seq')
  local score = string.format('%.0f', (1000000 - tonumber(ARGV[base + 5])) * 1000000000 + seq)
  redis.call('HSET', tkey(id), 'spec', ARGV[base + 1], 'deps', ARGV[base + 2], 'conds', ARGV[base + 3], 'queue', ARGV[base + 4],
    'score', score, 'maxAttempts', ARGV[base + 6], 'failedAttempts', 0, 'createdAt', now, 'updatedAt', now)
  redis.call('ZADD', P .. 'ids', 0, id)
  for _, d in ipairs(cjson.decode(ARGV[base + 2])) do redis.call('SADD', P .. 'dependents:' .. d, id) end
  local st, why = evaluate(id)
  set_status(id, nil, st)
  if st == 'ready' then make_ready(id) end
  if st == 'skipped' then redis.call('HSET', tkey(id), 'skipReason', why) end
  out[#out + 1] = dump(id)
end
return { 'ok', out }`,
);

/** ARGV: B, token, worker, leaseMs, role ('' = none), labels (comma-joined, '' = none). → dump or false. */
export const CLAIM = script(
  'board-claim',
  `reclaim_expired(100)
local role = ARGV[5]
local have = {}
for l in string.gmatch(ARGV[6], '[^,]+') do have[l] = true end
local best, best_score, best_queue
for _, q in ipairs(redis.call('SMEMBERS', P .. 'queues')) do
  local sep = string.find(q, '|', 1, true)
  local qrole = string.sub(q, 1, sep - 1)
  local ok = qrole == '' or qrole == role
  if ok then
    for l in string.gmatch(string.sub(q, sep + 1), '[^,]+') do
      if not have[l] then ok = false break end
    end
  end
  if ok then
    local head = redis.call('ZRANGE', P .. 'ready:' .. q, 0, 0, 'WITHSCORES')
    if head[1] then
      local s = tonumber(head[2])
      if not best or s < best_score then best, best_score, best_queue = head[1], s, q end
    end
  end
end
if not best then return false end
redis.call('ZREM', P .. 'ready:' .. best_queue, best)
if redis.call('ZCARD', P .. 'ready:' .. best_queue) == 0 then redis.call('SREM', P .. 'queues', best_queue) end
local k = tkey(best)
local attempt = tonumber(redis.call('HGET', k, 'failedAttempts')) + 1
local ttl = tonumber(ARGV[4])
redis.call('HSET', k, 'leaseToken', ARGV[2], 'leaseWorker', ARGV[3], 'leaseAttempt', attempt, 'leaseClaimedAt', now,
  'leaseExpiresAt', now + ttl, 'leaseMs', ttl)
set_status(best, 'ready', 'running')
redis.call('ZADD', P .. 'leases', now + ttl, best)
return dump(best)`,
);

/** ARGV: B, id, token, leaseMs ('' = the claim's). → {'ok', expiresAt} | error reply. */
export const HEARTBEAT = script(
  'board-heartbeat',
  `local bad = check_lease(ARGV[2], ARGV[3])
if bad then return bad end
local ttl = tonumber(ARGV[4]) or tonumber(redis.call('HGET', tkey(ARGV[2]), 'leaseMs'))
redis.call('HSET', tkey(ARGV[2]), 'leaseExpiresAt', now + ttl)
redis.call('ZADD', P .. 'leases', now + ttl, ARGV[2])
return { 'ok', now + ttl }`,
);

/** ARGV: B, id, token, has-result ('1'/'0'), result JSON. → {'ok', dump} | error reply. */
export const COMPLETE = script(
  'board-complete',
  `local id = ARGV[2]
local bad = check_lease(id, ARGV[3])
if bad then return bad end
local worker = redis.call('HGET', tkey(id), 'leaseWorker')
clear_lease(id)
if ARGV[4] == '1' then redis.call('HSET', tkey(id), 'result', ARGV[5]) end
redis.call('HSET', tkey(id), 'completedBy', worker)
set_status(id, 'running', 'done')
settle(id)
return { 'ok', dump(id) }`,
);

/** ARGV: B, id, token, message, code ('' = none), retry ('1'/'0'). → {'ok', dump} | error reply. */
export const FAIL = script(
  'board-fail',
  `local id = ARGV[2]
local bad = check_lease(id, ARGV[3])
if bad then return bad end
local h = redis.call('HMGET', tkey(id), 'failedAttempts', 'maxAttempts', 'leaseAttempt')
local failed = tonumber(h[1]) + 1
local code = nil
if ARGV[5] ~= '' then code = ARGV[5] end
push_error(id, ARGV[4], code, tonumber(h[3]))
clear_lease(id)
redis.call('HSET', tkey(id), 'failedAttempts', failed)
if ARGV[6] == '1' and failed < tonumber(h[2]) then
  set_status(id, 'running', 'ready')
  make_ready(id)
else
  set_status(id, 'running', 'dead')
  settle(id)
end
return { 'ok', dump(id) }`,
);

/** ARGV: B, limit. → number reclaimed. */
export const RECLAIM = script('board-reclaim', 'return reclaim_expired(tonumber(ARGV[2]))');

/** ARGV: B, ids... → dumps (false for unknown ids). */
export const DUMP = script(
  'board-dump',
  `local out = {}
for i = 2, #ARGV do
  if redis.call('EXISTS', tkey(ARGV[i])) == 1 then out[#out + 1] = dump(ARGV[i]) else out[#out + 1] = false end
end
return out`,
);
