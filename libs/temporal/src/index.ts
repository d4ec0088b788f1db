export * from './ids';
export * from './temporal.module';
