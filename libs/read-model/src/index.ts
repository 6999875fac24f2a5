export * from './sqlite/item-projection';
export * from './sqlite/read-model.sqlite';
export * from './sqlite/read-model.replay';
