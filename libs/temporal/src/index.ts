export * from './ids';
export * from './temporal.module';
export * from './connection-options';
