// Test runner settings: forked workers (koffi and Temporal's native bridge are not worker-thread friendly)
// and one global setup that starts the real services every suite shares.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.data/**', 'site/dist/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
