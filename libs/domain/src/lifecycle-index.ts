// The dependency-free part of the domain, for Temporal workflow code (deterministic sandbox):
// no class-validator, class-transformer, Node built-ins or I/O anywhere below this file.
// test/unit/domain-purity.test.ts guards it.
export * from './assets';
export * from './enums';
export * from './handling';
export * from './jurisdiction';
export * from './lifecycle';
export * from './limits';
export * from './rules';
export * from './types';
export * from './durations';
