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
      from: { pathNot: '^libs/event-store/src/kurrentdb/' },
      to: { path: 'node_modules/@kurrent/' },
    },
    {
      name: 'sqlite-driver-only-in-its-adapters',
      comment: 'better-sqlite3 is an adapter detail (the event store, and later projections and the outbox).',
      severity: 'error',
      from: { pathNot: '(^libs/event-store/src/sqlite/|/sqlite/|\\.spec\\.ts$)' },
      to: { path: 'node_modules/better-sqlite3/' },
    },
    {
      name: 'kafkajs-only-in-its-adapter',
      comment: 'kafkajs is unmaintained: it stays in one file so the client can be swapped there.',
      severity: 'error',
      from: { pathNot: '^libs/messaging/src/kafka\\.message-bus\\.ts$' },
      to: { path: 'node_modules/kafkajs/' },
    },
    {
      name: 'no-app-imports-another-app',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
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
    exclude: { path: '\\.spec\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
  },
};
