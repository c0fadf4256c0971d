import { WasockError } from '@wasock/contracts';

/** An error the API answers with: an HTTP status and a stable `code`. */
export class ApiError extends WasockError {
  readonly status: number;
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(code, message);
    this.status = status;
    this.headers = headers;
  }
}

/** 400: a param, query or body field failed validation. */
export class InvalidRequestError extends ApiError {
  constructor(message: string) {
    super(400, 'invalid_request', message);
  }
}

/** 404: no session with this id. */
export class SessionNotFoundError extends ApiError {
  constructor(sid: string) {
    super(404, 'session_not_found', `no session ${sid}`);
  }
}
