import { useSession } from './session';

export interface Terms {
  unit: string;
  units: string;
  Unit: string;
  Units: string;
}

const UNITS: Terms = { unit: 'unit', units: 'units', Unit: 'Unit', Units: 'Units' };
const MODULES: Terms = { unit: 'module', units: 'modules', Unit: 'Module', Units: 'Modules' };

/** "Unit" or "Module", as USE_MODULES_TERMINOLOGY says for this user. */
export function useTerms(): Terms {
  return useSession().session.flags.USE_MODULES_TERMINOLOGY ? MODULES : UNITS;
}
