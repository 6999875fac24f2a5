export * from './command-errors';
export * from './command-handler';
export * from './command-lanes';
export * from './recorded';
export * from './personal-data/personal-data.sealing';
export * from './sqlite/personal-data.vault';
