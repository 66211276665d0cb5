export * from './platform';
export * from './managed-process';
