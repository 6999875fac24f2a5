export * from './co-handling.module';
export * from './co-handling.dto';
