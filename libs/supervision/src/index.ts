export * from './supervision.module';
export * from './supervision.http.controller';
