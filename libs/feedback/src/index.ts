export * from './feedback.module';
export * from './feedback.http.controller';
