export * from './assignment.module';
export * from './proposal.dto';
export * from './proposals.http.controller';
export * from './assignment.commands';
export * from './merge.saga';
export * from './sqlite/items.projection';
