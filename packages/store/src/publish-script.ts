// XADD (exact MAXLEN), stream meta and PUBLISH (SPUBLISH on Cluster) in one atomic step, so a subscriber that reads the
// stream after subscribing can merge replay and live by entry id with no gap and no duplicate.
// With a dedupe mark, the same step refuses an event already seen (WhatsApp re-delivers after
// reconnects and takeovers, and a retried publish must not append twice).
// KEYS: events, meta, live channel, seen (sorted set: member → time first seen)
// ARGV: body, maxlen, epoch to use if the stream is new, now ms, dedupe ttl ms,
//       mark ('' for none), sharded ('1' on Redis Cluster: SPUBLISH, so the entry reaches only
//       the subscribers of this slot's shard instead of every node over the cluster bus),
//       then the members whose presence means "already published".
// Returns { entry id, sequence number, epoch }, or nil for a duplicate.
export const PUBLISH_LUA = `
if ARGV[6] ~= '' then
  for i = 8, #ARGV do
    if redis.call('ZSCORE', KEYS[4], ARGV[i]) then return false end
  end
end
local epoch = redis.call('HGET', KEYS[2], 'epoch')
if not epoch then
  epoch = ARGV[3]
  redis.call('HSET', KEYS[2], 'epoch', epoch)
end
local n = redis.call('HINCRBY', KEYS[2], 'seq', 1)
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '=', ARGV[2], '*', 'n', n, 'b', ARGV[1])
redis.call('HSET', KEYS[2], 'last', id)
redis.call(ARGV[7] == '1' and 'SPUBLISH' or 'PUBLISH', KEYS[3], id .. ' ' .. n .. ' ' .. epoch .. ' ' .. ARGV[1])
if ARGV[6] ~= '' then
  local now = tonumber(ARGV[4])
  local ttl = tonumber(ARGV[5])
  redis.call('ZADD', KEYS[4], now, ARGV[6])
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - ttl)
  redis.call('PEXPIRE', KEYS[4], ttl)
end
return { id, n, epoch }
`;
