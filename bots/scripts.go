package bots

import "github.com/redis/go-redis/v9"

// Every script below touches the keys of one user (one hash slot) or of one
// shard key only.

// enqueueScript stores an event in the user's queue, dropping an ID seen
// before, and takes the user's lease when it is free.
// KEYS: q, seen, lease, state, fx. ARGV: event, id, token, lease ms, batch,
// now ms. Returns {-1} duplicate, {0} queued (lease held elsewhere), or
// {1, state, events, fx} queued and lease taken; fx is the number of the
// last commit whose effects were applied.
var enqueueScript = redis.NewScript(`
if ARGV[2] ~= '' then
  if redis.call('ZSCORE', KEYS[2], ARGV[2]) then return {-1} end
  redis.call('ZADD', KEYS[2], ARGV[6], ARGV[2])
  if redis.call('ZCARD', KEYS[2]) > 512 then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -513) end
end
redis.call('RPUSH', KEYS[1], ARGV[1])
if redis.call('SET', KEYS[3], ARGV[3], 'NX', 'PX', ARGV[4]) then
  return {1, redis.call('GET', KEYS[4]) or '', redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[5]) - 1),
    redis.call('GET', KEYS[5]) or ''}
end
return {0}
`)

// claimScript takes the lease of a user whose queue is not empty.
// KEYS: q, lease, state, fx. ARGV: token, lease ms, batch.
// Returns {0} empty queue, {2} lease held elsewhere, {1, state, events, fx}.
var claimScript = redis.NewScript(`
if redis.call('LLEN', KEYS[1]) == 0 then return {0} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('GET', KEYS[3]) or '', redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[3]) - 1),
    redis.call('GET', KEYS[4]) or ''}
end
return {2}
`)

// commitScript saves the result of handling n events: the new state, the
// events taken off the queue, and the outgoing messages appended to the
// user's outbox, whose lease it takes when free. It also applies the
// user's outbox acknowledgement this process held back (n2 messages sent
// under lease token t2: removed, lease given up), so that delivering one
// event's reply and committing the next share a round trip. It keeps the
// user's lease while events are waiting and returns the next ones.
// KEYS: q, lease, state, out, outlease.
// ARGV: token, n, state ("" keep, "-" delete), lease ms, out token, batch,
// t2 ("" none), n2, messages...
// Returns {-1} lease lost, or {left, out claimed, out batch, next events};
// the out batch is a number when it is exactly the messages given.
var commitScript = redis.NewScript(`
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return {-1} end
redis.call('LTRIM', KEYS[1], tonumber(ARGV[2]), -1)
if ARGV[3] == '-' then
  redis.call('DEL', KEYS[3])
elseif ARGV[3] ~= '' then
  redis.call('SET', KEYS[3], ARGV[3])
end
if ARGV[7] ~= '' and redis.call('GET', KEYS[5]) == ARGV[7] then
  redis.call('LTRIM', KEYS[4], tonumber(ARGV[8]), -1)
  redis.call('DEL', KEYS[5])
end
local batch = tonumber(ARGV[6])
local claimed, outs = 0, {}
if #ARGV > 8 then
  redis.call('RPUSH', KEYS[4], unpack(ARGV, 9))
end
if (#ARGV > 8 or ARGV[7] ~= '') and redis.call('SET', KEYS[5], ARGV[5], 'NX', 'PX', ARGV[4]) then
  local waiting = redis.call('LLEN', KEYS[4])
  if waiting == 0 then
    redis.call('DEL', KEYS[5])
  elseif waiting == #ARGV - 8 and waiting <= batch then
    claimed, outs = 1, waiting
  else
    claimed, outs = 1, redis.call('LRANGE', KEYS[4], 0, batch - 1)
  end
end
local left, items = redis.call('LLEN', KEYS[1]), {}
if left > 0 then
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
  items = redis.call('LRANGE', KEYS[1], 0, batch - 1)
else
  redis.call('DEL', KEYS[2])
end
return {left, claimed, outs, items}
`)

// outClaimScript takes the outbox lease of a user whose outbox is not empty.
// KEYS: out, outlease. ARGV: token, lease ms, batch.
// Returns {0} empty, {2} held elsewhere, {1, messages}.
var outClaimScript = redis.NewScript(`
if redis.call('LLEN', KEYS[1]) == 0 then return {0} end
if redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[3]) - 1)}
end
return {2}
`)

// outDoneScript removes n handled messages and releases the outbox lease
// when nothing is left, else returns the next batch.
// KEYS: out, outlease. ARGV: token, n, lease ms, batch.
// Returns {-1} lease lost, {0}, or {left, messages}.
var outDoneScript = redis.NewScript(`
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return {-1} end
redis.call('LTRIM', KEYS[1], tonumber(ARGV[2]), -1)
local left = redis.call('LLEN', KEYS[1])
if left > 0 then
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
  return {left, redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[4]) - 1)}
end
redis.call('DEL', KEYS[2])
return {0}
`)

// forgetScript removes members from a shard's sorted set of waiting users,
// each only when its score is not newer than the one given (nobody added it
// again since).
// KEYS: set. ARGV: member, score, member, score, ...
// Returns the number removed.
var forgetScript = redis.NewScript(`
local n = 0
for i = 1, #ARGV, 2 do
  local s = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if s and tonumber(s) <= tonumber(ARGV[i + 1]) then
    redis.call('ZREM', KEYS[1], ARGV[i])
    n = n + 1
  end
end
return n
`)

// outReleaseScript removes n handled messages and gives the outbox lease
// up, so that another process (or a later try) can deliver the rest.
// KEYS: out, outlease. ARGV: token, n.
var outReleaseScript = redis.NewScript(`
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return -1 end
redis.call('LTRIM', KEYS[1], tonumber(ARGV[2]), -1)
redis.call('DEL', KEYS[2])
return redis.call('LLEN', KEYS[1])
`)

var allScripts = []*redis.Script{
	enqueueScript, claimScript, commitScript, outClaimScript, outDoneScript, forgetScript,
	outReleaseScript,
}

// unsendScript removes the undelivered messages about an id (Message.About)
// from a user's outbox, unless a sender holds the outbox (its batch would
// no longer match). KEYS: out, outlease. ARGV: id.
// Returns the number removed, or -1 when the outbox is held.
var unsendScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
local n = 0
for _, item in ipairs(redis.call('LRANGE', KEYS[1], 0, -1)) do
  local ok, m = pcall(cjson.decode, item)
  if ok and type(m) == 'table' and m.ab == ARGV[1] then
    n = n + redis.call('LREM', KEYS[1], 1, item)
  end
end
return n
`)
