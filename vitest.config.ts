import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // end-to-end tests start real child processes; 2-core CI machines are slow
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
