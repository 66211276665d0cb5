export * from './steps';
export * from './domain-error';
