/** Who a user is to the platform: the `role` claim of their token. */
export const ROLES = ['admin', 'subadmin', 'student'] as const;
export type Role = (typeof ROLES)[number];
