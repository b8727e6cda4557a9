package scheduler

import "github.com/redis/go-redis/v9"

// The scripts below touch the keys of one shard only. KEYS[1] is the
// shard's index (bucket -> earliest due time), KEYS[2] its lease hash
// (job id -> "token|deadline|occurrence|attempt"); ARGV carries the shard's
// key base, from which bucket keys (base.."z"..b due times, base.."h"..b job
// data) are built: they share the shard's hash tag, so a script stays in one
// slot. Times are Unix milliseconds of the caller's clock.

// claimScript claims up to ARGV[4] due jobs. A job whose score is due while
// a lease field exists had its lease expire (or was released for a retry):
// the claim keeps its occurrence and counts the attempt.
var claimScript = redis.NewScript(`
local now, deadline, token = tonumber(ARGV[1]), ARGV[2], ARGV[3]
local limit, base = tonumber(ARGV[4]), ARGV[5]
local out, n = {}, 0
local buckets = redis.call('ZRANGE', KEYS[1], '-inf', now, 'BYSCORE', 'LIMIT', 0, 64)
for _, b in ipairs(buckets) do
  if n >= limit then break end
  local z, h = base .. 'z' .. b, base .. 'h' .. b
  local due = redis.call('ZRANGE', z, '-inf', now, 'BYSCORE', 'LIMIT', 0, limit - n, 'WITHSCORES')
  for i = 1, #due, 2 do
    local id = due[i]
    local data = redis.call('HGET', h, id)
    if data then
      local occ, attempt = due[i + 1], 1
      local old = redis.call('HGET', KEYS[2], id)
      if old then
        local o, a = string.match(old, '^[^|]*|[^|]*|([^|]*)|([^|]*)$')
        occ, attempt = o, tonumber(a) + 1
      end
      redis.call('ZADD', z, deadline, id)
      redis.call('HSET', KEYS[2], id, token .. '|' .. deadline .. '|' .. occ .. '|' .. attempt)
      out[#out + 1] = id
      out[#out + 1] = b
      out[#out + 1] = occ
      out[#out + 1] = tostring(attempt)
      out[#out + 1] = data
      n = n + 1
    else
      redis.call('ZREM', z, id)
    end
  end
  local first = redis.call('ZRANGE', z, 0, 0, 'WITHSCORES')
  if #first == 0 then
    redis.call('ZREM', KEYS[1], b)
  else
    redis.call('ZADD', KEYS[1], first[2], b)
  end
end
return out
`)

// extendScript moves the deadline of the leases the caller still owns to
// ARGV[1]; ARGV[3..] are triplets id, bucket, token. It returns the ids
// whose lease is lost.
var extendScript = redis.NewScript(`
local deadline, base, lost = ARGV[1], ARGV[2], {}
for i = 3, #ARGV, 3 do
  local id, b, token = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local v = redis.call('HGET', KEYS[2], id)
  if v and string.sub(v, 1, #token + 1) == token .. '|' then
    local occ, att = string.match(v, '^[^|]*|[^|]*|([^|]*)|([^|]*)$')
    redis.call('HSET', KEYS[2], id, token .. '|' .. deadline .. '|' .. occ .. '|' .. att)
    redis.call('ZADD', base .. 'z' .. b, 'XX', deadline, id)
  else
    lost[#lost + 1] = id
  end
end
return lost
`)

// finishScript ends leases the caller owns; ARGV[2..] are groups of five:
// id, bucket, token, time, mode. Mode "next" reschedules the job at time (a
// paused job stays parked), "remove" deletes it, "retry" frees the lease but
// keeps the occurrence, due again at time. It returns one number per group:
// 0 when the caller does not own the lease, else 1.
var finishScript = redis.NewScript(`
local base, out = ARGV[1], {}
for i = 2, #ARGV, 5 do
  local id, b, token, at, mode = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4]
  local v = redis.call('HGET', KEYS[2], id)
  local z, h = base .. 'z' .. b, base .. 'h' .. b
  if not v or string.sub(v, 1, #token + 1) ~= token .. '|' then
    out[#out + 1] = 0
  elseif mode == 'remove' then
    redis.call('HDEL', KEYS[2], id)
    redis.call('ZREM', z, id)
    redis.call('HDEL', h, id)
    out[#out + 1] = 1
  else
    if mode == 'retry' then
      local occ, att = string.match(v, '^[^|]*|[^|]*|([^|]*)|([^|]*)$')
      redis.call('HSET', KEYS[2], id, '-|' .. at .. '|' .. occ .. '|' .. att)
    else
      redis.call('HDEL', KEYS[2], id)
    end
    local d = redis.call('HGET', h, id)
    if d and string.sub(d, 1, 1) == '1' then
      redis.call('ZADD', z, at, id)
      redis.call('ZADD', KEYS[1], 'LT', at, b)
    else
      redis.call('ZREM', z, id)
    end
    out[#out + 1] = 1
  end
end
return out
`)

// parkScript pauses job ARGV[1]: its data is marked paused and its due time
// removed; a run in flight finishes but does not reschedule it.
var parkScript = redis.NewScript(`
local id, b, base = ARGV[1], ARGV[2], ARGV[3]
local h = base .. 'h' .. b
local d = redis.call('HGET', h, id)
if not d then return 0 end
redis.call('HSET', h, id, '0' .. string.sub(d, 2))
redis.call('ZREM', base .. 'z' .. b, id)
return 1
`)

// missedScript appends record ARGV[1] to the user's missed list unless it
// is there already, keeping the newest ARGV[2].
var missedScript = redis.NewScript(`
if redis.call('LPOS', KEYS[1], ARGV[1]) then return 0 end
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[2]) - 1)
return 1
`)

var allScripts = []*redis.Script{
	claimScript, extendScript, finishScript, parkScript, missedScript,
}
