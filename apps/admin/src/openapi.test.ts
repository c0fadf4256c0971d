import { describe, expect, it } from 'vitest';
import { buildOpenApi } from './openapi.ts';
import { ROUTES } from './routes.ts';

// biome-ignore lint/suspicious/noExplicitAny: a generated JSON document, walked by key in assertions
type Json = Record<string, any>;
const doc = buildOpenApi(ROUTES) as Json;

function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) refs(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe('buildOpenApi', () => {
  it('is an OpenAPI 3.1 document behind the bearer admin token', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes.adminToken).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    );
    expect(doc.security).toEqual([{ adminToken: [] }]);
  });

  it('documents every route of the table, once, with its status codes and 401', () => {
    const ops = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
      Object.keys(item as Json).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(ops.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const r of ROUTES) {
      const op = doc.paths[r.path][r.method.toLowerCase()];
      expect(op.operationId).toBe(r.operationId);
      expect(Object.keys(op.responses).sort()).toEqual([...Object.keys(r.responses), '401'].sort());
    }
    expect(new Set(ROUTES.map((r) => r.operationId)).size).toBe(ROUTES.length);
  });

  it('covers the routes the admin API promises', () => {
    for (const [m, p] of [
      ['get', '/sessions'],
      ['post', '/sessions'],
      ['get', '/sessions/{sid}'],
      ['post', '/sessions/{sid}/logout'],
      ['post', '/sessions/{sid}/restart'],
      ['delete', '/sessions/{sid}/token'],
      ['get', '/sessions/{sid}/events'],
      ['get', '/sessions/{sid}/qr.png'],
      ['get', '/sessions/{sid}/qr.svg'],
      ['get', '/openapi.json'],
      ['get', '/live'],
    ] as const) {
      expect(doc.paths[p]?.[m], `${m} ${p}`).toBeDefined();
    }
  });

  it('describes parameters and bodies from the zod schemas', () => {
    const events = doc.paths['/sessions/{sid}/events'].get;
    expect(events.parameters).toEqual([
      expect.objectContaining({
        name: 'sid',
        in: 'path',
        required: true,
        schema: expect.objectContaining({ type: 'string' }),
      }),
      expect.objectContaining({
        name: 'limit',
        in: 'query',
        required: false,
        schema: expect.objectContaining({ type: 'integer', minimum: 1, maximum: 1000, default: 50 }),
      }),
    ]);
    const create = doc.paths['/sessions'].post;
    expect(create.requestBody).toEqual({
      required: false,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateSessionBody' } } },
    });
    expect(create.responses['201'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/CreatedSession',
    });
    expect(doc.paths['/sessions/{sid}/qr.png'].get.responses['200'].content).toHaveProperty(['image/png']);
  });

  it('resolves every $ref to a component schema, with no standalone-document keywords left', () => {
    const schemas = doc.components.schemas as Json;
    for (const ref of refs(doc)) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(schemas[ref.split('/').pop()!], ref).toBeDefined();
    }
    for (const s of Object.values(schemas)) {
      expect(s).not.toHaveProperty('$schema');
      expect(s).not.toHaveProperty('$id');
    }
    expect(schemas.AdminSession.properties.state.enum).toContain('awaiting_scan');
  });
});
