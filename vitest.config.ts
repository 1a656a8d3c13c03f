import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real git repositories and real processes: give slow machines room,
    // but no test waits on a fixed sleep.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
