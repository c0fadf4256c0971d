import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// One run for the whole monorepo: each workspace folder is a project named after its package,
// inheriting the timeouts below. Integration tests find Redis through @wasock/testkit
// (REDIS_URL when set).
const folders = [
  'test',
  'bench',
  ...['packages', 'apps'].flatMap((d) => readdirSync(d).map((f) => join(d, f))),
];
const projects = folders.flatMap((dir) => {
  try {
    const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string };
    return [{ extends: true as const, test: { name, root: dir } }];
  } catch {
    return []; // a folder without a package.json is not a workspace package
  }
});

export default defineConfig({
  test: {
    projects,
    // Kills servers a test process left behind when the runner ended it with a signal.
    globalSetup: ['packages/testkit/src/child-registry.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
