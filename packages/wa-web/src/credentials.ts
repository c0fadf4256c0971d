import { z } from 'zod';

/**
 * What a session must persist to come back without a QR scan (`admin login … takeover`).
 * Keys are base64. The worker stores this encrypted at rest; nothing here is safe to log.
 */
export const WaCredentialsSchema = z.object({
  clientId: z.string().min(1),
  clientToken: z.string().min(1),
  serverToken: z.string().min(1),
  encKey: z.base64().refine((s) => Buffer.from(s, 'base64').length === 32, 'encKey must be 32 bytes'),
  macKey: z.base64().refine((s) => Buffer.from(s, 'base64').length === 32, 'macKey must be 32 bytes'),
  wid: z.string().optional(),
});
export type WaCredentials = z.infer<typeof WaCredentialsSchema>;

/** Parses stored credentials (e.g. after decryption); throws a ZodError naming the bad field. */
export function parseCredentials(value: unknown): WaCredentials {
  return WaCredentialsSchema.parse(value);
}

/** The QR text a phone scans: `<ref>,<base64 public key>,<clientId>`. */
export function qrString(ref: string, publicKey: Uint8Array, clientId: string): string {
  return `${ref},${Buffer.from(publicKey).toString('base64')},${clientId}`;
}
