import { defineConfig } from 'vitest/config';

// One run for the whole monorepo: every workspace folder is a project (named after its
// package.json). Integration tests find Redis through @wasock/testkit (REDIS_URL when set).
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'test'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
