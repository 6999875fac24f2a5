export * from './supervision.module';
export * from './supervision.http.controller';
export * from './deadlines/deadline-index';
export * from './deadlines/deadline-scheduler';
export * from './deadlines/deadline-scheduler.service';
