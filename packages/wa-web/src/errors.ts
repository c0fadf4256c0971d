/** Base of every wa-web error: a stable machine-readable `code` beside the message. */
export class WaWebError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Bytes or text from the wire that do not follow the frame or binary node format. */
export class CodecError extends WaWebError {
  constructor(message: string, options?: ErrorOptions) {
    super('codec_error', message, options);
  }
}

/** A MAC or HMAC check failed, or key material has the wrong shape. */
export class CryptoError extends WaWebError {
  constructor(message: string, options?: ErrorOptions, code = 'crypto_error') {
    super(code, message, options);
  }
}

/** A frame or media file whose MAC does not match: tampered, truncated or keyed differently. */
export class BadMacError extends CryptoError {
  constructor(message: string) {
    super(message, undefined, 'bad_mac');
  }
}

/** The peer answered with something the protocol does not allow at this point. */
export class ProtocolError extends WaWebError {
  constructor(message: string, options?: ErrorOptions) {
    super('protocol_error', message, options);
  }
}

/** A tagged request got no answer in time. */
export class RequestTimeoutError extends WaWebError {
  constructor(tag: string, timeoutMs: number) {
    super('request_timeout', `no answer to request ${tag} within ${timeoutMs} ms`);
  }
}

/** The connection went away (or was never there) while a request needed it. */
export class ConnectionClosedError extends WaWebError {
  constructor(message = 'connection closed') {
    super('connection_closed', message);
  }
}
