/** A token as every process of a run knows it: the secret, its session id, its NATS subject. */
export interface TokenRef {
  token: string;
  sid: string;
  subject: string;
}
