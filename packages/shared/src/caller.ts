import { commonV1 } from '@testmancer/proto';
import { ROLES, type Role } from './dev-tokens';

/** Who a request acts for: an authenticated user or nobody. */
export type Caller = { kind: 'anonymous' } | { kind: 'user'; userId: string; role: Role; categoryIds: readonly string[] };

export const ANONYMOUS: Caller = { kind: 'anonymous' };

const roleToProto: Record<Role, commonV1.Role> = {
  admin: commonV1.Role.ADMIN,
  subadmin: commonV1.Role.SUBADMIN,
  student: commonV1.Role.STUDENT,
};

export function callerToProto(caller: Caller): commonV1.Caller {
  return caller.kind === 'anonymous'
    ? { userId: '', role: commonV1.Role.UNSPECIFIED, categoryIds: [] }
    : { userId: caller.userId, role: roleToProto[caller.role], categoryIds: [...caller.categoryIds] };
}

/** A caller from the wire; anything unrecognised is treated as anonymous (least privilege). */
export function callerFromProto(caller: commonV1.Caller | undefined): Caller {
  const role = ROLES.find((r) => roleToProto[r] === caller?.role);
  if (!caller || !role || !caller.userId) return ANONYMOUS;
  return { kind: 'user', userId: caller.userId, role, categoryIds: role === 'subadmin' ? caller.categoryIds : [] };
}
