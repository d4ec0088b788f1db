export * from './chain';
export * from './checkpoints';
export * from './role-check';
export * from './signer';
