import { defineConfig } from 'vitest/config';

/**
 * Tests whose pass mark is a rate — a capture that must lose (almost) no event
 * under a full-speed load — measure this machine's spare CPU as much as our
 * code when other test files run beside them on two CPUs. They run in a
 * project of their own, one file at a time, after every other file is done.
 */
const UNDER_LOAD = [
  'test/native/capture-options.test.ts',
  'test/native/capture-scan.test.ts',
  'test/native/capture-slow-disk.test.ts',
];

// Not `extends: true`: a project would inherit the root's global set-up and build again.
const shared = { testTimeout: 120_000, hookTimeout: 600_000 };

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    projects: [
      { test: { ...shared, name: 'main', include: ['test/**/*.test.ts'], exclude: UNDER_LOAD } },
      // maxWorkers 1 without a groupOrder puts these files in vitest's last, sequential group.
      { test: { ...shared, name: 'alone', include: UNDER_LOAD, maxWorkers: 1 } },
    ],
  },
});
