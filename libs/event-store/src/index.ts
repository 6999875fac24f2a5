export * from './event-store.port';
export * from './event-store.factory';
export * from './hash-chain';
export * from './sqlite/sqlite.event-store';
export * from './event-id';
export * from './stream-ids';
export * from './store-digest';
