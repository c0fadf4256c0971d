import { ConfigError } from '@wasock/runtime';
import { describe, expect, it } from 'vitest';
import { loadAdminConfig } from './config.ts';

const TOKEN = 's3cret-admin-token-of-some-length';

describe('loadAdminConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadAdminConfig({ ADMIN_TOKEN: TOKEN })).toEqual({
      REDIS_URL: 'redis://127.0.0.1:6379',
      HTTP_HOST: '0.0.0.0',
      HTTP_PORT: 8080,
      LOG_LEVEL: 'info',
      SENDS_PER_MINUTE: 60,
      ADMIN_TOKEN: TOKEN,
    });
  });

  it('reads the edge address the console shows', () => {
    expect(
      loadAdminConfig({ ADMIN_TOKEN: TOKEN, EDGE_PUBLIC_ADDRESS: 'gw.example:5026' }).EDGE_PUBLIC_ADDRESS,
    ).toBe('gw.example:5026');
  });

  it('requires ADMIN_TOKEN, an empty value counting as unset', () => {
    expect(() => loadAdminConfig({})).toThrow(/ADMIN_TOKEN: is required/);
    expect(() => loadAdminConfig({ ADMIN_TOKEN: '' })).toThrow(ConfigError);
  });

  it('refuses a short ADMIN_TOKEN without ever quoting it', () => {
    let message = '';
    try {
      loadAdminConfig({ ADMIN_TOKEN: 'short-secret' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/ADMIN_TOKEN: must be at least 16 characters/);
    expect(message).not.toContain('short-secret');
  });

  it('names a bad variable', () => {
    expect(() => loadAdminConfig({ ADMIN_TOKEN: TOKEN, HTTP_PORT: 'eighty' })).toThrow(/HTTP_PORT/);
  });
});
