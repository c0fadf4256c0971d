/** How a load client reaches a system: the line protocol of port 5026, or NATS JetStream. */
export interface Target {
  protocol: 'line' | 'nats';
  host: string;
  port: number;
  /** JetStream stream name (nats only). */
  stream?: string;
}

/** One client to open: its token (and NATS subject), and the source address to bind. */
export interface ClientSpec {
  token: string;
  subject?: string;
  localAddress?: string;
}

/** Where a connection reports what it reads. */
export interface LineSink {
  /** One complete line in `text[start, end)` of connection `conn`. */
  line(conn: Conn, text: string, start: number, end: number): void;
}

/** One client connection, whatever the protocol. */
export interface Conn {
  readonly spec: ClientSpec;
  /** Lines read since the last open. */
  got: number;
  /** Error code read on this connection (error line or socket failure), if any. */
  failure: string | null;
  /** Opens the connection; resolves when `waitLines` lines were read, rejects with a code. */
  open(target: Target, waitLines: number): Promise<void>;
  /** Drops the connection at once. */
  close(): void;
}
