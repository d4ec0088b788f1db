export * from './entities';
export { dataSourceOptions } from './data-source';
export { runMigrations } from './migrate';
