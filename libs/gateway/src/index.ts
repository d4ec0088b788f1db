export * from './signature';
export * from './client';
export * from './messages';
