/** One Jest run for every lib; unit specs sit beside their code, end-to-end suites under tests/. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/tests'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    // Type checking is done once by `npm run typecheck`; per-file transpiling keeps the run fast.
    '^.+\\.ts$': 'ts-jest',
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@banli/domain$': '<rootDir>/libs/domain/src',
    '^@banli/domain/(.*)$': '<rootDir>/libs/domain/src/$1',
    '^@banli/event-store$': '<rootDir>/libs/event-store/src',
    '^@banli/event-store/(.*)$': '<rootDir>/libs/event-store/src/$1',
    '^@banli/(platform|messaging|assignment|co-handling|supervision|feedback)$': '<rootDir>/libs/$1/src',
  },
  collectCoverageFrom: ['libs/**/src/**/*.ts', '!**/*.spec.ts', '!**/index.ts', '!**/testing/**'],
  coverageReporters: ['text-summary', 'text'],
  coverageThreshold: {
    './libs/domain/src/': { lines: 95 },
  },
};
