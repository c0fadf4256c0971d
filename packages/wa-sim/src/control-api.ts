import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { FaultBody, MessageBody, ReceiptBody, ScanBody } from './control-schemas.ts';
import { bytesAsBase64 } from './json-bytes.ts';
import { SimError, type WaSimServer } from './sim-server.ts';

const MAX_BODY = 24 * 1024 * 1024;

/**
 * The control API of one simulator as a request handler (returns false for paths it does not
 * own, so it plugs into the runtime's health/metrics server):
 *   GET  /sessions                  sessions and refs awaiting a scan
 *   GET  /stats                     simulator counters
 *   POST /scan                      ScanBody
 *   POST /messages                  MessageBody
 *   POST /receipts                  ReceiptBody
 *   POST /faults                    FaultBody
 *   GET  /sessions/:id/relayed      what the client sent
 *   POST /sessions/:id/logout       the phone logs the session out
 */
export function createControlHandler(
  sim: WaSimServer,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    try {
      if (method === 'GET' && path === '/sessions') {
        send(res, 200, { sessions: sim.listSessions(), pendingRefs: sim.pendingRefs() });
        return true;
      }
      if (method === 'GET' && path === '/stats') {
        send(res, 200, sim.stats());
        return true;
      }
      if (method === 'POST' && path === '/scan') {
        const body = await readBody(req, ScanBody);
        const phone: { wid?: string; pushname?: string; platform?: string } = {};
        if (body.wid) phone.wid = body.wid;
        if (body.pushname) phone.pushname = body.pushname;
        if (body.platform) phone.platform = body.platform;
        send(res, 200, sim.scan(body.qr, phone));
        return true;
      }
      if (method === 'POST' && path === '/messages') {
        const { session, data, ...rest } = await readBody(req, MessageBody);
        const spec = { ...rest, ...(data ? { data: Buffer.from(data, 'base64') } : {}) };
        send(res, 200, sim.sendMessage(session, stripUndefined(spec)));
        return true;
      }
      if (method === 'POST' && path === '/receipts') {
        const { session, ...spec } = await readBody(req, ReceiptBody);
        sim.sendReceipt(session, stripUndefined(spec));
        send(res, 200, { ok: true });
        return true;
      }
      if (method === 'POST' && path === '/faults') {
        const body = await readBody(req, FaultBody);
        sim.injectFault(body.session, body.fault);
        send(res, 200, { ok: true });
        return true;
      }
      const relayed = /^\/sessions\/([A-Za-z0-9_-]{1,64})\/relayed$/.exec(path);
      if (method === 'GET' && relayed) {
        send(res, 200, { messages: sim.relayed(relayed[1]!) });
        return true;
      }
      const logout = /^\/sessions\/([A-Za-z0-9_-]{1,64})\/logout$/.exec(path);
      if (method === 'POST' && logout) {
        sim.logoutSession(logout[1]!);
        send(res, 200, { ok: true });
        return true;
      }
      return false;
    } catch (err) {
      if (err instanceof SimError) {
        send(res, err.status, { error: err.code, message: err.message });
        return true;
      }
      if (err instanceof BadBody) {
        send(res, err.status, { error: 'invalid_body', message: err.message, issues: err.issues });
        return true;
      }
      throw err;
    }
  };
}

class BadBody extends Error {
  readonly status: number;
  readonly issues: unknown;
  constructor(status: number, message: string, issues: unknown = []) {
    super(message);
    this.status = status;
    this.issues = issues;
  }
}

async function readBody<S extends z.ZodType>(req: IncomingMessage, schema: S): Promise<z.output<S>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new BadBody(413, 'body too large');
    chunks.push(chunk as Buffer);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
  } catch (err) {
    throw new BadBody(400, `body is not JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new BadBody(400, issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; '), issues);
  }
  return parsed.data;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, bytesAsBase64);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
