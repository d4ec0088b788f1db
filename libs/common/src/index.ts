export * from './hash';
