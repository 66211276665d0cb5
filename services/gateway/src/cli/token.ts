/**
 * Prints a signed bearer token for local use:
 *   npm run token -- --role subadmin --scopes <categoryId,...> --sub <userId>
 * The secret is JWT_SECRET, or the local platform's development secret.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DEV_JWT_SECRET, isObjectIdText, ROLES, signToken, type Role } from '@testmancer/shared';

function main(): void {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'student' },
      sub: { type: 'string' },
      scopes: { type: 'string', default: '' },
      expires: { type: 'string', default: '12h' },
    },
    strict: true,
  });
  const role = values.role as Role;
  if (!ROLES.includes(role)) {
    process.stderr.write(`--role must be one of ${ROLES.join(', ')}\n`);
    process.exit(2);
  }
  const categoryIds = values.scopes
    ? values.scopes
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
  const bad = categoryIds.find((id) => !isObjectIdText(id));
  if (bad) {
    process.stderr.write(`--scopes: "${bad}" is not a 24-character hexadecimal category id\n`);
    process.exit(2);
  }
  const sub = values.sub ?? randomBytes(12).toString('hex');
  signToken({ sub, role, categoryIds, expiresIn: values.expires }, process.env.JWT_SECRET ?? DEV_JWT_SECRET).then(
    (token) => process.stdout.write(`${token}\n`),
    (error: unknown) => {
      process.stderr.write(`could not sign the token: ${String(error)}\n`);
      process.exit(1);
    },
  );
}

main();
