import { createHash, timingSafeEqual } from 'node:crypto';

function digest(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** The token in an `Authorization: Bearer <token>` header, or null. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return m ? (m[1] ?? null) : null;
}

/**
 * Checks presented admin tokens in constant time. Both sides are hashed first, so the compare
 * sees equal lengths and leaks neither the token's length nor how many leading bytes matched.
 */
export class AdminAuth {
  readonly #digest: Buffer;

  constructor(adminToken: string) {
    this.#digest = digest(adminToken);
  }

  /** Whether `presented` is the admin token. */
  matches(presented: string | null | undefined): boolean {
    if (typeof presented !== 'string') return false;
    return timingSafeEqual(this.#digest, digest(presented));
  }

  /** Whether the request's Authorization header carries the admin token. */
  allows(authorization: string | undefined): boolean {
    return this.matches(bearerToken(authorization));
  }
}
