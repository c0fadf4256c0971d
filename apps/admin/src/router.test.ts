import { describe, expect, it } from 'vitest';
import { Router } from './router.ts';
import { ROUTES } from './routes.ts';

const router = new Router(ROUTES);

describe('Router', () => {
  it('finds each route with its path parameters', () => {
    const m = router.match('GET', '/sessions/00ff00ff00ff00ff/qr.svg');
    expect(m.kind).toBe('found');
    if (m.kind === 'found') {
      expect(m.route.operationId).toBe('getQrSvg');
      expect(m.params).toEqual({ sid: '00ff00ff00ff00ff' });
    }
    expect(router.match('POST', '/sessions')).toMatchObject({
      kind: 'found',
      route: { operationId: 'createSession' },
    });
    expect(router.match('DELETE', '/sessions/ab/token')).toMatchObject({
      route: { operationId: 'revokeToken' },
    });
  });

  it('treats a dot in the path template literally', () => {
    expect(router.match('GET', '/sessions/abc/qrXpng').kind).toBe('not_found');
  });

  it('answers method_not_allowed with the methods the path has', () => {
    expect(router.match('PUT', '/sessions')).toEqual({ kind: 'method_not_allowed', allow: ['GET', 'POST'] });
    expect(router.match('GET', '/sessions/abc/logout')).toEqual({
      kind: 'method_not_allowed',
      allow: ['POST'],
    });
  });

  it('does not match unknown paths, extra segments or broken percent-escapes', () => {
    expect(router.match('GET', '/nope').kind).toBe('not_found');
    expect(router.match('GET', '/sessions/a/b').kind).toBe('not_found');
    expect(router.match('GET', '/sessions/%E0%A4%A').kind).toBe('not_found');
  });

  it('percent-decodes parameters before they are validated', () => {
    expect(router.match('GET', '/sessions/a%2Fb')).toMatchObject({ params: { sid: 'a/b' } });
  });
});
