import { connect } from 'node:net';
import { join } from 'node:path';
import { AppProcess, freePort, waitFor } from '@wasock/testkit';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './support/edge-process.ts';
import { LineClient } from './support/line-client.ts';

// The README's quick start as a new user runs it (`npm start` runs scripts/up.ts once the
// toolchain is in place): its own Redis, the simulator, two workers, the edge and the admin on
// embedded defaults, a demo token whose session links by itself, live demo traffic; Ctrl-C
// stops everything it started.

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

describe('npm start', () => {
  it('brings the system up with a demo token that receives live traffic, and stops it all on Ctrl-C', async () => {
    const [edgePort, edgeHttpPort, adminPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const up = AppProcess.node(join(repoRoot, 'scripts/up.ts'), [], {
      env: {
        // As from a user's shell: not under the test runner (whose signal handling testkit
        // would apply), and on embedded defaults: no Redis, admin token or credentials key given.
        VITEST: undefined,
        REDIS_URL: undefined,
        ADMIN_TOKEN: undefined,
        CREDS_KEY: undefined,
        EDGE_PORT: String(edgePort),
        EDGE_HTTP_PORT: String(edgeHttpPort),
        ADMIN_PORT: String(adminPort),
      },
    });
    try {
      await up.waitForOutput(/Ctrl-C stops everything/, 90_000);
      const token = up.stdout.match(/^demo token: (\S+)$/m)![1]!;
      const adminToken = up.stdout.match(/^admin token: (\S+)$/m)![1]!;
      expect(up.stdout).toContain(`clients: 127.0.0.1:${edgePort}`);

      const client = await LineClient.connect(edgePort, token);
      await waitFor(() => client.lines.some((l) => l.content === 'message'), {
        what: 'demo traffic on the demo token',
        timeoutMs: 30_000,
      });
      expect(client.lines.every((l) => l.number === token)).toBe(true);
      client.close();

      const res = await fetch(`http://127.0.0.1:${adminPort}/sessions`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      expect(res.status).toBe(200);
      const { sessions } = (await res.json()) as { sessions: { label: string; state: string }[] };
      expect(sessions).toContainEqual(expect.objectContaining({ label: 'demo', state: 'connected' }));
    } finally {
      expect(await up.stop('SIGINT')).toBe(0);
    }
    // Everything it started is gone with it.
    expect(await refused(edgePort)).toBe(true);
    expect(await refused(adminPort)).toBe(true);
    expect(await refused(edgeHttpPort)).toBe(true);
  }, 150_000);
});
