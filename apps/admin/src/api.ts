import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@wasock/runtime';
import type { AdminAuth } from './auth.ts';
import { ApiError } from './errors.ts';
import { readJsonBody, sendBody, sendError, sendJson } from './http-io.ts';
import type { AdminMetrics } from './metrics.ts';
import type { Router } from './router.ts';
import type { RouteDeps } from './routes.ts';
import type { StaticFiles } from './static-files.ts';
import { parseWith } from './validation.ts';

/** What the request handler is built from. */
export interface ApiOptions {
  router: Router;
  deps: RouteDeps;
  auth: AdminAuth;
  console: StaticFiles;
  metrics: AdminMetrics;
  logger: Logger;
}

/**
 * The admin app's HTTP handler (plugged into the runtime server, which already answered
 * /metrics, /livez and /readyz): console files without auth, everything else behind the admin
 * token, each answer counted by route and status.
 */
export function createApiHandler(
  opts: ApiOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://admin.invalid');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    let label = 'unmatched';
    try {
      if (opts.console.has(path)) {
        label = 'console';
        if (method !== 'GET' && method !== 'HEAD') {
          throw new ApiError(405, 'method_not_allowed', `${method} is not allowed on ${path}`, {
            allow: 'GET, HEAD',
          });
        }
        opts.console.serve(req, res, path);
        opts.metrics.requests.inc({ route: label, status: res.statusCode });
        return true;
      }
      const match = opts.router.match(method, path);
      if (match.kind === 'found') label = `${method} ${match.route.path}`;
      if (!opts.auth.allows(req.headers.authorization)) {
        throw new ApiError(401, 'unauthenticated', 'send Authorization: Bearer <admin token>', {
          'www-authenticate': 'Bearer realm="wasock-admin"',
        });
      }
      if (match.kind === 'not_found') throw new ApiError(404, 'not_found', `no route ${path}`);
      if (match.kind === 'method_not_allowed') {
        throw new ApiError(405, 'method_not_allowed', `${method} is not allowed on ${path}`, {
          allow: match.allow.join(', '),
        });
      }
      const { route } = match;
      const params = route.params ? parseWith(route.params, match.params, 'params') : undefined;
      const query = route.query
        ? parseWith(route.query, Object.fromEntries(url.searchParams), 'query')
        : undefined;
      const raw = route.body || method === 'POST' ? await readJsonBody(req, route.maxBodyBytes) : undefined;
      const body = route.body ? parseWith(route.body, raw, 'body') : undefined;
      const headers: Record<string, string | undefined> = {};
      for (const name of Object.keys(route.headers ?? {})) {
        const value = req.headers[name.toLowerCase()];
        headers[name.toLowerCase()] = Array.isArray(value) ? value[0] : value;
      }
      const reply = await route.handle({ params, query, body, headers }, opts.deps);
      if ('json' in reply) sendJson(res, reply.status, reply.json);
      else sendBody(res, reply.status, reply.body, reply.contentType);
      opts.metrics.requests.inc({ route: label, status: reply.status });
      return true;
    } catch (err) {
      const apiErr =
        err instanceof ApiError ? err : new ApiError(500, 'internal', 'the admin app failed; see its logs');
      if (!(err instanceof ApiError)) opts.logger.error({ err, route: label }, 'admin request failed');
      if (res.headersSent) res.destroy();
      else sendError(res, apiErr);
      opts.metrics.requests.inc({ route: label, status: apiErr.status });
      return true;
    }
  };
}
