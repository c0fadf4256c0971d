import type { AdminEvent, LiveServerMessage } from '@wasock/contracts';
import {
  connectRedis,
  hashToken,
  keys,
  type Redis,
  SessionStore,
  StreamPublisher,
  TokenStore,
} from '@wasock/store';
import { sharedTestRedis, waitFor } from '@wasock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminProcess, startAdmin } from './admin-process.ts';

let admin: AdminProcess;
let redis: Redis;
let sessions: SessionStore;
const UNKNOWN = '0123456789abcdef';

beforeAll(async () => {
  const { url } = await sharedTestRedis();
  redis = connectRedis(url, { name: 'test-admin-api' });
  sessions = new SessionStore(redis);
  admin = await startAdmin(url, { EDGE_PUBLIC_ADDRESS: 'gw.example:5026' });
});
afterAll(async () => {
  await admin?.stop();
  redis?.disconnect();
});

// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field below
type Body = any;

async function json(res: Response): Promise<Body> {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return res.json();
}

async function expectError(res: Response, status: number, code: string): Promise<string> {
  expect(res.status).toBe(status);
  const body = await json(res);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  return body.error.message as string;
}

function post(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return admin.call(path, {
    method: 'POST',
    ...(body === undefined
      ? {}
      : {
          body: typeof body === 'string' ? body : JSON.stringify(body),
          headers: { 'content-type': 'application/json', ...headers },
        }),
  });
}

async function createSession(label?: string): Promise<{ sid: string; token: string; label: string }> {
  const res = await post('/sessions', label === undefined ? undefined : { label });
  expect(res.status).toBe(201);
  return json(res);
}

describe('authentication', () => {
  const routes: [string, string][] = [
    ['GET', '/sessions'],
    ['POST', '/sessions'],
    ['GET', `/sessions/${UNKNOWN}`],
    ['POST', `/sessions/${UNKNOWN}/logout`],
    ['POST', `/sessions/${UNKNOWN}/restart`],
    ['DELETE', `/sessions/${UNKNOWN}/token`],
    ['GET', `/sessions/${UNKNOWN}/events`],
    ['GET', `/sessions/${UNKNOWN}/qr.png`],
    ['GET', `/sessions/${UNKNOWN}/qr.svg`],
    ['GET', '/openapi.json'],
    ['GET', '/info'],
    ['GET', '/live'],
    ['GET', '/no-such-route'],
  ];

  it('answers 401 on every API route without the admin token, or with a wrong one', async () => {
    for (const [method, path] of routes) {
      for (const headers of [
        {},
        { authorization: 'Bearer wrong-token-wrong-token' },
        { authorization: admin.token },
      ]) {
        const res = await admin.call(path, { method, auth: false, headers });
        await expectError(res, 401, 'unauthenticated');
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    }
  });

  it('leaves health, metrics and the console page open: they hold no data', async () => {
    for (const path of ['/livez', '/readyz', '/metrics']) {
      expect((await admin.call(path, { auth: false })).status).toBe(200);
    }
    const page = await admin.call('/', { auth: false });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<title>wasock admin</title>');
    for (const [path, type] of [
      ['/app.js', /javascript/],
      ['/style.css', /text\/css/],
      ['/favicon.svg', /svg/],
    ] as const) {
      const res = await admin.call(path, { auth: false });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(type);
    }
  });

  it('revalidates console files by ETag and refuses writes to them', async () => {
    const first = await admin.call('/app.js', { auth: false });
    const etag = first.headers.get('etag')!;
    expect((await admin.call('/app.js', { auth: false, headers: { 'if-none-match': etag } })).status).toBe(
      304,
    );
    const res = await admin.call('/', { method: 'POST', auth: false });
    await expectError(res, 405, 'method_not_allowed');
  });
});

describe('POST /sessions', () => {
  it('creates a session and shows its token once; only the hash is stored', async () => {
    const created = await createSession('  Front desk  ');
    expect(created).toEqual({
      sid: expect.stringMatching(/^[0-9a-f]{16}$/),
      token: expect.any(String),
      label: 'Front desk',
      connector: null,
    });
    expect(await new TokenStore(redis).resolve(created.token)).toBe(created.sid);
    const stored = await redis.hgetall(keys.session(created.sid));
    expect(JSON.stringify(stored)).not.toContain(created.token);
    const shown = await json(await admin.call(`/sessions/${created.sid}`));
    expect(JSON.stringify(shown)).not.toContain(created.token);
    expect(JSON.stringify(shown)).not.toContain(hashToken(created.token));
  });

  it('records the protocol chosen for the session', async () => {
    const created = await json(await post('/sessions', { label: 'md', connector: 'legacy' }));
    expect(created.connector).toBe('legacy');
    expect((await sessions.get(created.sid))?.connector).toBe('legacy');
    expect((await json(await admin.call(`/sessions/${created.sid}`))).connector).toBe('legacy');
    expect(
      await expectError(await post('/sessions', { connector: 'telegram' }), 400, 'invalid_request'),
    ).toMatch(/^body\.connector: /);
  });

  it('accepts an empty body and an empty object', async () => {
    expect((await createSession()).label).toBe('');
    expect((await json(await post('/sessions', {}))).label).toBe('');
  });

  it('refuses bad bodies with 400 naming the field', async () => {
    expect(await expectError(await post('/sessions', { label: 5 }), 400, 'invalid_request')).toMatch(
      /^body\.label: /,
    );
    expect(
      await expectError(await post('/sessions', { label: 'x'.repeat(129) }), 400, 'invalid_request'),
    ).toBe('body.label: must be at most 128 characters');
    expect(
      await expectError(await post('/sessions', { label: 'a', token: 'mine' }), 400, 'invalid_request'),
    ).toBe('body.token: is not allowed');
    expect(await expectError(await post('/sessions', '[1,2]'), 400, 'invalid_request')).toMatch(/^body: /);
    expect(await expectError(await post('/sessions', '{"label":'), 400, 'invalid_json')).toMatch(
      /not valid JSON/,
    );
  });

  it('refuses non-JSON bodies with 415 and bodies over 64 KiB with 413', async () => {
    await expectError(
      await post('/sessions', 'label=x', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'unsupported_media_type',
    );
    await expectError(await post('/sessions', { label: 'x'.repeat(70_000) }), 413, 'body_too_large');
  });
});

describe('GET /sessions and /sessions/:sid', () => {
  it('lists sessions newest first and reads one', async () => {
    const a = await createSession('older');
    await new Promise((r) => setTimeout(r, 5));
    const b = await createSession('newer');
    const { sessions: list } = await json(await admin.call('/sessions'));
    const ids = list.map((s: { sid: string }) => s.sid);
    expect(ids.indexOf(b.sid)).toBeLessThan(ids.indexOf(a.sid));
    const one = await json(await admin.call(`/sessions/${a.sid}`));
    expect(one).toEqual({
      sid: a.sid,
      state: 'new',
      label: 'older',
      connector: null,
      created: expect.any(Number),
      updated: null,
      qr: null,
      owner: null,
      reason: null,
      revoked: null,
    });
  });

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    expect(await expectError(await admin.call('/sessions/NOT-HEX'), 400, 'invalid_request')).toMatch(
      /^params\.sid: /,
    );
    await expectError(await admin.call(`/sessions/${UNKNOWN}`), 404, 'session_not_found');
  });
});

describe('GET /sessions/:sid/events', () => {
  it('returns the newest stored events, parsed, oldest first', async () => {
    const { sid } = await createSession('events');
    const publisher = new StreamPublisher(redis);
    for (const id of ['A', 'B', 'C']) {
      await publisher.publish(sid, { content: 'ack', messageId: `false_1@c.us_${id}`, ack: 1 });
    }
    const all = await json(await admin.call(`/sessions/${sid}/events`));
    expect(all.sid).toBe(sid);
    expect(all.events.map((e: AdminEvent) => (e.event.content === 'ack' ? e.event.messageId : null))).toEqual(
      ['false_1@c.us_A', 'false_1@c.us_B', 'false_1@c.us_C'],
    );
    expect(all.events[0]).toEqual({
      id: expect.stringMatching(/^\d+-\d+$/),
      n: 1,
      epoch: expect.any(String),
      event: expect.any(Object),
    });
    const two = await json(await admin.call(`/sessions/${sid}/events?limit=2`));
    expect(two.events.map((e: AdminEvent) => e.n)).toEqual([2, 3]);
  });

  it('validates the limit and the session', async () => {
    const { sid } = await createSession();
    expect(
      await expectError(await admin.call(`/sessions/${sid}/events?limit=0`), 400, 'invalid_request'),
    ).toBe('query.limit: must be at least 1');
    expect(
      await expectError(await admin.call(`/sessions/${sid}/events?limit=ten`), 400, 'invalid_request'),
    ).toBe('query.limit: must be a whole number');
    await expectError(await admin.call(`/sessions/${UNKNOWN}/events`), 404, 'session_not_found');
    expect((await json(await admin.call(`/sessions/${sid}/events`))).events).toEqual([]);
  });
});

describe('GET /sessions/:sid/qr.png and .svg', () => {
  it('renders the current QR while the session awaits a scan', async () => {
    const { sid } = await createSession();
    await sessions.setState(sid, 'awaiting_scan', { qr: '1@ref,pubkey,clientid' });
    const png = await admin.call(`/sessions/${sid}/qr.png`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(png.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.from(await png.arrayBuffer()).subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    const svg = await admin.call(`/sessions/${sid}/qr.svg`);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await svg.text()).toMatch(/^<svg[^>]+viewBox/);
  });

  it('answers 404 with the reason when there is nothing to scan', async () => {
    const { sid } = await createSession();
    expect(await expectError(await admin.call(`/sessions/${sid}/qr.svg`), 404, 'no_qr')).toMatch(
      /not started/,
    );
    await sessions.setState(sid, 'connected');
    expect(await expectError(await admin.call(`/sessions/${sid}/qr.png`), 404, 'no_qr')).toMatch(
      /session is connected/,
    );
    await expectError(await admin.call(`/sessions/${UNKNOWN}/qr.png`), 404, 'session_not_found');
    await expectError(await admin.call('/sessions/nothex/qr.png'), 400, 'invalid_request');
  });
});

describe('logout, restart and revoke', () => {
  it('logs out a session nobody runs at once, then refuses a second logout with 409', async () => {
    const { sid } = await createSession();
    const res = await post(`/sessions/${sid}/logout`);
    expect(res.status).toBe(202);
    expect(await json(res)).toEqual({ sid, command: 'logout' });
    expect((await sessions.get(sid))?.state).toBe('logged_out');
    await expectError(await post(`/sessions/${sid}/logout`), 409, 'already_logged_out');
    await expectError(await post(`/sessions/${UNKNOWN}/logout`), 404, 'session_not_found');
  });

  it('hands a logout to the worker that holds the lease', async () => {
    const { sid } = await createSession();
    await redis.set(keys.lease(sid), 'some-worker', 'PX', 5000);
    const sub = redis.duplicate();
    const commands: string[] = [];
    sub.on('message', (_c: string, m: string) => commands.push(m));
    await sub.subscribe(keys.sessionCommands());
    expect((await post(`/sessions/${sid}/logout`)).status).toBe(202);
    await waitFor(() => commands.includes(`${sid} logout`), { what: 'the logout command' });
    sub.disconnect();
  });

  it('restarts a session as new, announced to the workers', async () => {
    const { sid } = await createSession();
    await sessions.setState(sid, 'failed', { reason: 'boom' });
    const res = await post(`/sessions/${sid}/restart`);
    expect(res.status).toBe(202);
    expect(await json(res)).toEqual({ sid, command: 'restart' });
    expect(await sessions.get(sid)).toMatchObject({ state: 'new' });
    await expectError(await post(`/sessions/${UNKNOWN}/restart`), 404, 'session_not_found');
  });

  it('revokes the token by session id, once; a revoked session cannot be restarted', async () => {
    const created = await createSession();
    const res = await admin.call(`/sessions/${created.sid}/token`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toEqual({ sid: created.sid, revoked: expect.any(Number) });
    expect(await new TokenStore(redis).resolve(created.token)).toBeNull();
    expect((await json(await admin.call(`/sessions/${created.sid}`))).revoked).toBe(body.revoked);
    await expectError(
      await admin.call(`/sessions/${created.sid}/token`, { method: 'DELETE' }),
      409,
      'already_revoked',
    );
    await expectError(await post(`/sessions/${created.sid}/restart`), 409, 'token_revoked');
    await expectError(
      await admin.call(`/sessions/${UNKNOWN}/token`, { method: 'DELETE' }),
      404,
      'session_not_found',
    );
  });
});

describe('routing and documents', () => {
  it('answers 404 for unknown routes and 405 with Allow for wrong methods', async () => {
    await expectError(await admin.call('/nope'), 404, 'not_found');
    const res = await admin.call('/sessions', { method: 'PUT' });
    await expectError(res, 405, 'method_not_allowed');
    expect(res.headers.get('allow')).toBe('GET, POST');
  });

  it('serves the OpenAPI 3.1 document and the console facts', async () => {
    const doc = await json(await admin.call('/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/sessions/{sid}/qr.svg');
    expect(await json(await admin.call('/info'))).toEqual({ edgeAddress: 'gw.example:5026' });
  });

  it('answers a plain GET /live with 426', async () => {
    const res = await admin.call('/live');
    await expectError(res, 426, 'upgrade_required');
  });

  it('counts requests by route and status', async () => {
    const metrics = await (await admin.call('/metrics', { auth: false })).text();
    expect(metrics).toMatch(
      /wasock_admin_http_requests_total\{route="GET \/sessions\/\{sid\}",status="404",app="admin"\} \d+/,
    );
    expect(metrics).toMatch(
      /wasock_admin_http_requests_total\{route="POST \/sessions",status="201",app="admin"\} \d+/,
    );
  });
});

/** A /live client that records what it receives. */
function openLive(query = ''): {
  ws: WebSocket;
  got: LiveServerMessage[];
  closed: Promise<number>;
  opened: Promise<void>;
} {
  const ws = new WebSocket(`ws://127.0.0.1:${admin.port}/live${query}`);
  const got: LiveServerMessage[] = [];
  ws.addEventListener('message', (e) => got.push(JSON.parse(String(e.data))));
  const closed = new Promise<number>((resolve) => ws.addEventListener('close', (e) => resolve(e.code)));
  const opened = new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve());
    ws.addEventListener('error', () => reject(new Error('websocket failed')));
  });
  return { ws, got, closed, opened };
}

describe('/live', () => {
  it('authenticates with the first message, then streams session changes and subscribed events', async () => {
    const live = openLive();
    await live.opened;
    live.ws.send(JSON.stringify({ token: admin.token }));
    await waitFor(() => live.got.some((m) => m.type === 'ready'), { what: 'ready' });
    const metrics = await (await admin.call('/metrics', { auth: false })).text();
    expect(metrics).toMatch(/wasock_admin_live_clients\{app="admin"\} 1/);

    const { sid } = await createSession('live');
    await sessions.setState(sid, 'awaiting_scan', { qr: 'qr-one' });
    const change = await waitFor(
      () => live.got.find((m) => m.type === 'session' && m.session.qr === 'qr-one'),
      {
        what: 'the session change',
      },
    );
    expect(change.type === 'session' && change.session).toMatchObject({
      sid,
      state: 'awaiting_scan',
      label: 'live',
    });

    live.ws.send(JSON.stringify({ subscribe: sid }));
    await waitFor(() => live.got.some((m) => m.type === 'subscribed' && m.sid === sid), {
      what: 'subscribed',
    });
    await new StreamPublisher(redis).publish(sid, { content: 'ack', messageId: 'false_1@c.us_LIVE', ack: 2 });
    const ev = await waitFor(() => live.got.find((m) => m.type === 'event'), { what: 'the live event' });
    expect(ev).toMatchObject({
      sid,
      entry: { n: 1, event: { content: 'ack', messageId: 'false_1@c.us_LIVE', ack: 2 } },
    });

    live.ws.send(JSON.stringify({ subscribe: 'bad id' }));
    await waitFor(() => live.got.some((m) => m.type === 'error' && m.code === 'invalid_message'), {
      what: 'error',
    });
    live.ws.close();
    await live.closed;
    await waitFor(
      async () =>
        /wasock_admin_live_clients\{app="admin"\} 0/.test(
          await (await admin.call('/metrics', { auth: false })).text(),
        ),
      { what: 'the gauge back at 0' },
    );
  });

  it('accepts ?token= in the URL', async () => {
    const live = openLive(`?token=${encodeURIComponent(admin.token)}`);
    await waitFor(() => live.got.some((m) => m.type === 'ready'), { what: 'ready' });
    live.ws.close();
  });

  it('refuses a wrong ?token= at the upgrade and a wrong or missing first-message token', async () => {
    const bad = openLive('?token=wrong-token-wrong');
    await expect(bad.opened).rejects.toThrow();
    const wrong = openLive();
    await wrong.opened;
    wrong.ws.send(JSON.stringify({ token: 'wrong-token-wrong' }));
    expect(await wrong.closed).toBe(4401);
    const early = openLive();
    await early.opened;
    early.ws.send(JSON.stringify({ subscribe: UNKNOWN }));
    expect(await early.closed).toBe(4401);
    expect(early.got.some((m) => m.type === 'event' || m.type === 'session')).toBe(false);
  });
});
