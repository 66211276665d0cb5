export * from './platform';
export * from './managed-process';
export * from './web';
export * from './identity';
