export { DomainError, invalid, notFound, conflict, stale, forbidden } from '@testmancer/shared';
