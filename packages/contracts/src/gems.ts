// Owned by the gems service: what a balance read may ask for.

/** History entries a balance read returns: `default` when none is asked for, never more than `max`. */
export const HISTORY_LIMIT = { default: 50, max: 500 } as const;
