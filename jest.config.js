// One jest run, three levels. Temporal and PostgreSQL suites share servers started once in
// globalSetup, so the run is in band (see package.json "test").
const transform = { '^.+\\.ts$': ['@swc/jest', { swcrc: true }] };
const base = {
  transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFilesAfterEnv: ['<rootDir>/test/support/after-env.ts'],
};

module.exports = {
  rootDir: __dirname,
  // Per-project testTimeout is ignored by jest; the slowest level (e2e) sets it for all.
  testTimeout: 120000,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...base,
      displayName: 'workflow',
      testMatch: ['<rootDir>/test/workflow/**/*.test.ts', '<rootDir>/test/replay/**/*.test.ts'],
    },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] },
    // The web application in Debian's chromium (playwright-core), against the real stack.
    { ...base, displayName: 'ui', testMatch: ['<rootDir>/test/ui/**/*.test.ts'] },
  ],
};
