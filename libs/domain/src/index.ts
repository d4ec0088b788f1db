// The whole domain: the pure model plus the class-validator DTOs and validateBody. Workflow code
// imports ./lifecycle-index instead.
export * from './lifecycle-index';
export * from './dto';
export * from './validation';
export * from './erasure';
