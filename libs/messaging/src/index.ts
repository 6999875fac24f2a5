export * from './message-bus.port';
export * from './in-process.message-bus';
export * from './event-relay';
export * from './kafka.message-bus';
export * from './contract/bus-message.contract';
export * from './store-verification';
