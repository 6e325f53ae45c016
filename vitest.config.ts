import { defineConfig } from 'vitest/config';
import { SlowFirstSequencer } from './test/support/sequencer.ts';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    // Database-backed tests each start their own PGlite or PostgreSQL database; two workers keep
    // the two-core machines responsive. CI's PostgreSQL pass may ask for more (TEST_WORKERS): much
    // of its work is in the database server's processes, while a worker waits.
    maxWorkers: Number(process.env.TEST_WORKERS) || 2,
    sequence: { sequencer: SlowFirstSequencer },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser tests poll the page for what a request brings; a loaded two-core machine may take
    // several seconds to answer, so a poll waits up to 10 s (the default is 1 s).
    expect: { poll: { timeout: 10_000, interval: 100 } },
    // CI asks for a JSON report beside the console output (scripts/test-summary.mjs sums them).
    reporters: process.env.VITEST_JSON ? ['default', 'json'] : ['default'],
    outputFile: process.env.VITEST_JSON ? { json: process.env.VITEST_JSON } : undefined,
  },
});
