export * from './types';
export * from './quiz';
export * from './scoring';
export * from './view';
export * from './attempt';
export * from './questions';
export * from './results';
