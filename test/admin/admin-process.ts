import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { AppProcess } from '@wasock/testkit';
import { repoRoot } from '../support/edge-process.ts';

/** An admin app child process and how to talk to it. */
export interface AdminProcess {
  proc: AppProcess;
  port: number;
  base: string;
  token: string;
  /** fetch with the admin token (unless `auth: false`). */
  call(path: string, init?: RequestInit & { auth?: boolean }): Promise<Response>;
  stop(): Promise<number | null>;
}

/** A fresh admin token for one test run. */
export function testAdminToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Starts `apps/admin` as `pnpm admin` does, on a free port, against `redisUrl`. */
export async function startAdmin(redisUrl: string, env: Record<string, string> = {}): Promise<AdminProcess> {
  const token = env.ADMIN_TOKEN ?? testAdminToken();
  const proc = AppProcess.node(join(repoRoot, 'apps/admin/src/main.ts'), [], {
    env: { REDIS_URL: redisUrl, HTTP_PORT: '0', HTTP_HOST: '127.0.0.1', ADMIN_TOKEN: token, ...env },
  });
  const m = await proc.waitForOutput(/"httpPort":(\d+)/);
  const port = Number(m[1]);
  const base = `http://127.0.0.1:${port}`;
  return {
    proc,
    port,
    base,
    token,
    call: (path, { auth = true, headers, ...init } = {}) =>
      fetch(`${base}${path}`, {
        ...init,
        headers: {
          ...(auth ? { authorization: `Bearer ${token}` } : {}),
          ...(headers as Record<string, string>),
        },
      }),
    stop: () => proc.stop(),
  };
}
