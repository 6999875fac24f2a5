export * from './feedback.module';
export * from './feedback.http.controller';
export * from './feedback.commands';
export * from './sqlite/figures.projection';
