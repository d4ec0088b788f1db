export * from './aead';
export * from './codec';
export * from './data-keys';
export * from './master-keys';
export * from './payload-json';
export * from './standalone';
