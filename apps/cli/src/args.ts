import { EventId, PhoneNumber, SessionId } from '@wasock/contracts';
import { type ZodType, z } from 'zod';
import { invalidError } from './cli-error.ts';

// Numbers are written in decimal digits only: Number() would also take "1e3", "0x10" or " 7 ",
// which a script never means to pass.
const digits = z
  .string()
  .regex(/^[0-9]{1,15}$/, 'must be a whole number')
  .transform(Number);

/** A whole number between min and max, from a flag or variable named `name`. */
export function intArg(name: string, raw: string, min: number, max: number): number {
  return check(name, digits.pipe(z.number().min(min).max(max)), raw);
}

/** A TCP port to connect to (1–65535). */
export function portArg(name: string, raw: string): number {
  return intArg(name, raw, 1, 65_535);
}

/** A session id as the gateway generates them. */
export function sidArg(raw: string): string {
  return check('session id', SessionId, raw);
}

/** A phone number with country code, as digits (`+593 98 765 4321` → `593987654321`). */
export function phoneArg(raw: string): string {
  return check('phone number', PhoneNumber, raw);
}

/** An event id as the edge shows it with `ids:true` (`<epoch>:<sequence>`). */
export function eventIdArg(name: string, raw: string): string {
  return check(name, EventId, raw);
}

// Tokens are printable ASCII without spaces (the edge refuses anything else), and never echoed
// back in the error: a mistyped token is still most of a secret.
const Token = z.string().regex(/^[\x21-\x7e]{1,512}$/, 'must be 1–512 printable ASCII characters, no spaces');

/** An API token as a client sends it. */
export function tokenArg(raw: string): string {
  return check('token', Token, raw, false);
}

function check<T>(name: string, schema: ZodType<T, string>, raw: string, echo = true): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const got = echo ? ` (got ${JSON.stringify(raw.slice(0, 80))})` : '';
  throw invalidError(`${name}: ${r.error.issues.map((i) => i.message).join('; ')}${got}`);
}
