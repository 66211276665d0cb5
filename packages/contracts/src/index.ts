/**
 * Each module belongs to the service that owns its data (content.ts to the
 * content service, quiz.ts to quiz, gems.ts to gems, media.ts to media): the service validates with it, and the
 * gateway checks shapes and wire ranges with the same values, so the two
 * cannot drift. legacy.ts is the monolith's data contract, read by the
 * migration and by the services' bridge while both shapes live.
 */
export * as content from './content';
export * as gems from './gems';
export * as legacy from './legacy';
export * as media from './media';
export * as quiz from './quiz';
