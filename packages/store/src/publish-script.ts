// XADD (exact MAXLEN), stream meta and PUBLISH in one atomic step, so a subscriber that reads the
// stream after subscribing can merge replay and live by entry id with no gap and no duplicate.
// KEYS: events, meta, live channel. ARGV: body, maxlen, epoch to use if the stream is new.
// Returns { entry id, sequence number, epoch }.
export const PUBLISH_LUA = `
local epoch = redis.call('HGET', KEYS[2], 'epoch')
if not epoch then
  epoch = ARGV[3]
  redis.call('HSET', KEYS[2], 'epoch', epoch)
end
local n = redis.call('HINCRBY', KEYS[2], 'seq', 1)
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '=', ARGV[2], '*', 'n', n, 'b', ARGV[1])
redis.call('HSET', KEYS[2], 'last', id)
redis.call('PUBLISH', KEYS[3], id .. ' ' .. n .. ' ' .. epoch .. ' ' .. ARGV[1])
return { id, n, epoch }
`;
