import { z } from 'zod';

/** Stable codes of the error line the edge writes before it closes a connection. */
export const ErrorCode = z.enum([
  'unauthorized',
  'timeout',
  'too_large',
  'bad_request',
  'rate_limited',
  'overloaded',
  'revoked',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** `{"content":"error","code":…,"message":…}`: one line, then the edge closes the socket. */
export const ErrorLine = z.strictObject({
  content: z.literal('error'),
  code: ErrorCode,
  message: z.string(),
});
export type ErrorLine = z.infer<typeof ErrorLine>;

/** An event id as the extended hello shows it: `<stream epoch>:<sequence number>`. */
export const EventId = z
  .string()
  .max(64)
  .regex(/^[0-9a-z]{1,24}:[0-9]{1,16}$/, 'event ids look like "<epoch>:<sequence>"');
export type EventId = z.infer<typeof EventId>;

/** The opt-in JSON hello: a first line starting with `{` instead of a bare token. */
export const Hello = z.strictObject({
  token: z.string().min(1),
  since: EventId.optional(),
  ids: z.boolean().optional(),
});
export type Hello = z.infer<typeof Hello>;

/**
 * How a resume went, told to hello clients before the replay: `ok` (nothing missed),
 * `trimmed` (events older than the stored 50 were missed; all 50 follow) or `reset` (the stream
 * was recreated; all of it follows).
 */
export const ResumeStatus = z.enum(['ok', 'trimmed', 'reset']);
export type ResumeStatus = z.infer<typeof ResumeStatus>;

/** `{"content":"resume",…}`: the first line a hello client with `since` receives. */
export const ResumeNotice = z.strictObject({
  content: z.literal('resume'),
  status: ResumeStatus,
  replayed: z.number().int().nonnegative(),
  last: EventId.nullable(),
});
export type ResumeNotice = z.infer<typeof ResumeNotice>;
