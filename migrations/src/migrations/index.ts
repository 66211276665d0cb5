/**
 * The chain, in order. Each migration has `up` and `down`; down restores the
 * backups its up wrote (see ../restore.ts), so running every down in
 * reverse order gives back the legacy documents exactly.
 */
import type { RunContext } from '../pass';
import { restoreBackups } from '../restore';
import { m0 } from './m0-roles-categories';
import { m1, m2 } from './m1-m2-indexes';
import { m3 } from './m3-permissions';
import { structuredCourses } from './structured-courses';

export interface Migration {
  name: string;
  description: string;
  /** The file whose content is the migration's checksum. */
  file: string;
  up(ctx: RunContext): Promise<void>;
  down(ctx: RunContext): Promise<void>;
}

export const restoring = (up: Migration['up']) => ({ up, down: restoreBackups });

export const CHAIN: readonly Migration[] = [m0, m1, m2, m3, structuredCourses];

export function migrationNamed(name: string): Migration | undefined {
  return CHAIN.find((m) => m.name === name);
}
