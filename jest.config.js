/** One Jest run for every lib; unit specs sit beside their code, end-to-end suites under tests/. */
module.exports = {
  testEnvironment: 'node',
  // Suites that need Kafka get a real broker, started by the project's own script when none is named.
  globalSetup: '<rootDir>/tests/kafka.global-setup.js',
  globalTeardown: '<rootDir>/tests/kafka.global-teardown.js',
  roots: ['<rootDir>/libs', '<rootDir>/tests'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    // Type checking is done once by `npm run typecheck`; per-file transpiling keeps the run fast.
    '^.+\\.ts$': 'ts-jest',
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@banli/domain$': '<rootDir>/libs/domain/src',
    '^@banli/event-store$': '<rootDir>/libs/event-store/src',
    '^@banli/(application|read-model|platform|messaging|assignment|co-handling|supervision|feedback|accounts)$': '<rootDir>/libs/$1/src',
  },
  collectCoverageFrom: ['libs/**/src/**/*.ts', '!**/*.spec.ts', '!**/index.ts', '!**/testing/**'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  coverageReporters: ['text-summary', 'text'],
  coverageThreshold: {
    './libs/domain/src/': { lines: 95 },
  },
};
