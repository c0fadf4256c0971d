import type { z } from 'zod';
import { InvalidRequestError } from './errors.ts';

/** Where a value came from, so a 400 names the field as the client wrote it. */
export type Source = 'params' | 'query' | 'body';

/** One line per problem: `body.label: must be at most 128 characters`. */
export function describeIssues(source: Source, error: z.ZodError): string {
  return error.issues
    .flatMap((issue) => {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      if (keys.length > 0) return keys.map((k) => `${[source, ...issue.path, k].join('.')}: is not allowed`);
      return [`${[source, ...issue.path].join('.')}: ${issue.message}`];
    })
    .join('; ');
}

/** Parses `value` with `schema`, or throws a 400 that names every bad field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, source: Source): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InvalidRequestError(describeIssues(source, result.error));
}
