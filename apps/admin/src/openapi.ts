import {
  AdminError,
  AdminEvent,
  AdminInfo,
  AdminSession,
  CommandAccepted,
  ConnectorKind,
  CreatedSession,
  CreateSessionBody,
  EventList,
  LiveClientMessage,
  LiveServerMessage,
  SessionList,
  StoredEvent,
  TokenRevoked,
} from '@wasock/contracts';
import { z } from 'zod';
import type { RouteDef } from './routes.ts';

/** Contract schemas published under components.schemas and referenced by name. */
export const NAMED_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  AdminError,
  ConnectorKind,
  AdminSession,
  SessionList,
  CreateSessionBody,
  CreatedSession,
  StoredEvent,
  AdminEvent,
  EventList,
  CommandAccepted,
  TokenRevoked,
  AdminInfo,
  LiveClientMessage,
  LiveServerMessage,
};

type Json = Record<string, unknown>;

const REF = (name: string) => `#/components/schemas/${name}`;

// OpenAPI embeds JSON Schema 2020-12 but gives schemas their identity by location, so the
// standalone-document keywords are dropped.
function bare(schema: Json): Json {
  const { $schema: _s, $id: _i, ...rest } = schema;
  return rest;
}

function nameOf(schema: z.ZodType): string | undefined {
  return Object.entries(NAMED_SCHEMAS).find(([, s]) => s === schema)?.[0];
}

function schemaFor(schema: z.ZodType, io: 'input' | 'output'): Json {
  const name = nameOf(schema);
  if (name) return { $ref: REF(name) };
  return bare(z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Json);
}

function parameters(route: RouteDef): Json[] {
  const out: Json[] = [];
  for (const [where, obj] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!obj) continue;
    for (const [name, field] of Object.entries(obj.shape as Record<string, z.ZodType>)) {
      const schema = schemaFor(field, 'input');
      out.push({
        name,
        in: where,
        // A field that accepts "absent" (optional or defaulted) is not required.
        required: where === 'path' || !field.safeParse(undefined).success,
        schema,
        ...(typeof schema.description === 'string' ? { description: schema.description } : {}),
      });
    }
  }
  return out;
}

function requestBody(route: RouteDef): Json | undefined {
  if (!route.body) return undefined;
  const optional = route.body instanceof z.ZodOptional;
  const inner = optional ? (route.body as z.ZodOptional<z.ZodType>).unwrap() : route.body;
  return {
    required: !optional,
    content: { 'application/json': { schema: schemaFor(inner, 'input') } },
  };
}

function responses(route: RouteDef): Json {
  const out: Json = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const content = spec.contentType
      ? { [spec.contentType]: { schema: { type: 'string', format: 'binary' } } }
      : spec.schema
        ? { 'application/json': { schema: schemaFor(spec.schema, 'output') } }
        : undefined;
    out[status] = { description: spec.description, ...(content ? { content } : {}) };
  }
  out['401'] = {
    description: 'no or wrong admin token (`unauthenticated`)',
    content: { 'application/json': { schema: { $ref: REF('AdminError') } } },
  };
  return out;
}

/** The OpenAPI 3.1 document of `routes`, generated from their zod schemas. */
export function buildOpenApi(routes: readonly RouteDef[], version = '1.0.0'): Json {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(NAMED_SCHEMAS)) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, {
    uri: REF,
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as { schemas: Record<string, Json> };
  const schemas = Object.fromEntries(Object.entries(generated.schemas).map(([k, v]) => [k, bare(v)]));

  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const body = requestBody(route);
    const params = parameters(route);
    const op: Json = {
      operationId: route.operationId,
      summary: route.summary,
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(body ? { requestBody: body } : {}),
      responses: responses(route),
    };
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: op };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'wasock admin API',
      version,
      description:
        'Sessions and tokens of the wasock gateway. Every route needs `Authorization: Bearer <ADMIN_TOKEN>`; ' +
        'errors are `{ "error": { "code", "message" } }`.',
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    security: [{ adminToken: [] }],
    paths,
    components: {
      schemas,
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } },
    },
  };
}
