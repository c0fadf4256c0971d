import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, env, loadConfig } from './config.ts';

const schema = z.object({
  EDGE_PORT: env.port(5026),
  AUTH_TIMEOUT_MS: env.int(5000),
  VERBOSE: env.bool(false),
  REDIS_URL: env.redisUrl(),
});

describe('env.redisClusterNodes', () => {
  const cluster = z.object({ REDIS_CLUSTER_NODES: env.redisClusterNodes() });

  it('reads host:port seeds, IPv6 in brackets, and leaves an unset variable unset', () => {
    expect(loadConfig(cluster, { REDIS_CLUSTER_NODES: 'a.example:7000, 10.0.0.2:7001,[::1]:7002' })).toEqual({
      REDIS_CLUSTER_NODES: [
        { host: 'a.example', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
        { host: '::1', port: 7002 },
      ],
    });
    expect(loadConfig(cluster, { REDIS_CLUSTER_NODES: '' })).toEqual({ REDIS_CLUSTER_NODES: undefined });
  });

  it('refuses a seed that is not host:port, naming the variable', () => {
    for (const bad of ['10.0.0.1', '10.0.0.1:0', 'h:70000', 'h:7000,,h:7001', 'redis://h:7000']) {
      expect(() => loadConfig(cluster, { REDIS_CLUSTER_NODES: bad })).toThrow(
        /REDIS_CLUSTER_NODES: each seed/,
      );
    }
  });
});

describe('loadConfig', () => {
  it('applies defaults for unset and empty variables', () => {
    expect(loadConfig(schema, { EDGE_PORT: '' })).toEqual({
      EDGE_PORT: 5026,
      AUTH_TIMEOUT_MS: 5000,
      VERBOSE: false,
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
  });

  it('coerces numbers and flags from strings', () => {
    const cfg = loadConfig(schema, { EDGE_PORT: '7000', VERBOSE: 'yes', AUTH_TIMEOUT_MS: '10' });
    expect(cfg).toMatchObject({ EDGE_PORT: 7000, VERBOSE: true, AUTH_TIMEOUT_MS: 10 });
  });

  it('names every invalid variable and the value it got', () => {
    let caught: unknown;
    try {
      loadConfig(schema, { EDGE_PORT: '70000', REDIS_URL: 'http://x' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const err = caught as ConfigError;
    expect(err.code).toBe('config_invalid');
    expect(err.message).toContain('EDGE_PORT');
    expect(err.message).toContain('"70000"');
    expect(err.message).toContain('REDIS_URL');
  });
});
