export * from './assignment.module';
export * from './proposal.dto';
export * from './proposals.http.controller';
