// DTO classes (class-validator). Never imported by lifecycle code: see ../lifecycle-index.ts.
export * from './actions.dto';
export * from './auth.dto';
export * from './erasure.dto';
export * from './constraints';
export * from './gateway.dto';
export * from './handling.dto';
export * from './jurisdiction.dto';
export * from './trace-request.dto';
