import type { Redis } from '@wasock/store';

/** Redis CPU seconds (user + sys, main thread and children) from `INFO cpu`. */
export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  let total = 0;
  for (const key of ['used_cpu_sys', 'used_cpu_user']) {
    const m = new RegExp(`^${key}:([\\d.]+)`, 'm').exec(info);
    if (m) total += Number(m[1]);
  }
  return total;
}

/** Client connections whose CLIENT LIST name starts with `prefix` (all when empty), the bench's own (`bench-*`) excluded. */
export async function redisConnections(redis: Redis, prefix = ''): Promise<number> {
  const list = (await redis.client('LIST')) as string;
  let n = 0;
  for (const line of list.split('\n')) {
    const name = /\bname=(\S*)/.exec(line)?.[1] ?? '';
    if (line.trim() === '' || name.startsWith('bench-')) continue;
    if (prefix === '' || name.startsWith(prefix)) n++;
  }
  return n;
}
