export * from './types';
export * from './ordering';
export * from './course';
export * from './page';
export * from './blocks';
export * from './category';
export { LIMITS, validatePageTitle, validateUnitTitle } from './validation';
export * from './course-visibility';
export * from './progress';
