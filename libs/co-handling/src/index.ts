export * from './co-handling.module';
export * from './co-handling.dto';
export * from './co-handling.commands';
