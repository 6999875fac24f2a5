/**
 * Boundaries enforced by a tool, not by hope (STYLE.md rule 7).
 * The domain is pure: it imports nothing of Nest, of I/O, or of any other lib.
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'libs/domain may not import Nest, node I/O modules or infrastructure libraries.',
      severity: 'error',
      from: { path: '^libs/domain/src' },
      to: {
        path: '(^libs/(?!domain/))|@nestjs|kafkajs|better-sqlite3|@kurrent|^(node:)?(fs|net|http|https|child_process|worker_threads|dgram|cluster)$',
      },
    },
    {
      name: 'calendar-data-only-in-its-adapter',
      comment: 'Only the calendar adapter may read the chinese-days data; deciders see the calendar port.',
      severity: 'error',
      from: { path: '^libs/domain/src', pathNot: 'chinese-days\\.calendar\\.ts$' },
      to: { path: 'node_modules/chinese-days/' },
    },
    {
      name: 'kurrentdb-client-only-in-its-adapter',
      comment: 'The KurrentDB client stays behind the event-store port, in its adapter.',
      severity: 'error',
      from: { path: '^(libs|apps)/', pathNot: '^libs/event-store/src/kurrentdb/' },
      to: { path: 'node_modules/@kurrent/' },
    },
    {
      name: 'sqlite-driver-only-in-its-adapters',
      comment: 'better-sqlite3 is an adapter detail (the event store, and later projections and the outbox).',
      severity: 'error',
      // Benchmarks measure against the raw engine, and test tools read what the adapters wrote.
      from: { path: '^(libs|apps)/', pathNot: '(^libs/event-store/src/sqlite/|/sqlite/|\\.spec\\.ts$)' },
      to: { path: 'node_modules/better-sqlite3/' },
    },
    {
      name: 'kafkajs-only-in-its-adapter',
      comment: 'kafkajs is unmaintained: it stays in one file so the client can be swapped there.',
      severity: 'error',
      from: { path: '^(libs|apps)/', pathNot: '^libs/messaging/src/kafka\\.message-bus\\.ts$' },
      to: { path: 'node_modules/kafkajs/' },
    },
    {
      name: 'no-app-imports-another-app',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'event-store-knows-no-domain',
      comment: 'The event store keeps any stream of events: it imports no other lib, the domain least of all.',
      severity: 'error',
      from: { path: '^libs/event-store/' },
      to: { path: '^libs/(?!event-store/)' },
    },
    {
      name: 'application-is-framework-free',
      comment: 'libs/application (the command path) uses the domain and the event store only: no Nest, no HTTP, no feature.',
      severity: 'error',
      from: { path: '^libs/application/' },
      to: { path: '(^libs/(?!(application|domain|event-store)/))|@nestjs|fastify' },
    },
    {
      name: 'read-model-knows-no-feature',
      comment: 'libs/read-model folds items and hands them to the projections it is given: it names no feature, no Nest, no HTTP.',
      severity: 'error',
      from: { path: '^libs/read-model/' },
      to: { path: '(^libs/(?!(read-model|application|domain|event-store)/))|@nestjs|fastify' },
    },
    {
      name: 'feature-libs-are-independent',
      comment: 'A feature lib (assignment, co-handling, supervision, feedback) talks to another through events, never by import.',
      severity: 'error',
      from: { path: '^libs/(assignment|co-handling|supervision|feedback)/' },
      to: { path: '^libs/(assignment|co-handling|supervision|feedback)/', pathNot: '^libs/$1/' },
    },
    {
      name: 'no-testing-kit-in-production-code',
      comment: 'The testing kits (*/testing/*) serve specs; production code, the demo included, does not import them.',
      severity: 'error',
      from: { path: '^(libs|apps)/', pathNot: '(\\.spec\\.ts$|/testing/)' },
      to: { path: '/testing/' },
    },
    {
      name: 'no-deep-import-into-a-lib',
      comment: "Another lib or an app uses a lib through its index.ts (@banli/<lib>), never a file past it.",
      severity: 'error',
      from: { path: '^(libs/([^/]+)|apps)/' },
      to: { path: '^libs/([^/]+)/src/', pathNot: ['^libs/([^/]+)/src/index\\.ts$', '^libs/$2/'] },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // The console is a browser app with its own tsconfig and boundaries (it talks to the service over HTTP only).
    exclude: { path: ['\\.spec\\.ts$', '^apps/console/'] },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
