// Redis stream ids are "<ms>-<seq>". Both parts can exceed 2^53 in theory; compare them as
// decimal strings by length first, which is exact and allocation-free.

function cmpDecimal(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders two stream ids: negative when a < b, 0 when equal, positive when a > b. */
export function compareStreamIds(a: string, b: string): number {
  const da = a.indexOf('-');
  const db = b.indexOf('-');
  const ms = cmpDecimal(da < 0 ? a : a.slice(0, da), db < 0 ? b : b.slice(0, db));
  if (ms !== 0) return ms;
  return cmpDecimal(da < 0 ? '0' : a.slice(da + 1), db < 0 ? '0' : b.slice(db + 1));
}

/** The millisecond part of a stream id: when Redis appended the entry. */
export function streamIdTime(id: string): number {
  const dash = id.indexOf('-');
  return Number(dash < 0 ? id : id.slice(0, dash));
}
