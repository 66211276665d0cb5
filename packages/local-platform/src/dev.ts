/**
 * `make dev`: the whole platform on this machine. Starts the local database
 * (unless MONGODB_URI is set), the four services and the gateway, the web
 * interfaces and a local OpenID provider, loads a demo course, prints URLs,
 * accounts and tokens, and stops everything on Ctrl-C.
 */
import path from 'node:path';
import { signToken } from '@testmancer/shared';
import { loadDemo } from './demo';
import type { LocalAccount } from './identity';
import { FLAG_VARIABLES, startPlatform } from './platform';

const ADMIN_ID = '000000000000000000000001';
const SUBADMIN_ID = '000000000000000000000002';
const STUDENT_ID = '000000000000000000000003';

async function main(): Promise<void> {
  const rootDir = path.resolve(__dirname, '../../..');
  const env: Record<string, string> = { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' };
  for (const name of FLAG_VARIABLES) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  process.stdout.write('starting the platform…\n');
  const platform = await startPlatform({
    rootDir,
    logDir: path.join(rootDir, '.local', 'logs'),
    ...(process.env.MONGODB_URI ? { mongodbUri: process.env.MONGODB_URI } : {}),
    ...(process.env.MONGODB_DB ? { dbName: process.env.MONGODB_DB } : {}),
    gatewayHost: process.env.GATEWAY_HOST ?? '0.0.0.0',
    gatewayPort: Number(process.env.GATEWAY_PORT ?? 8080),
    env,
    // PROFILE_DIR=… make dev: a CPU profile of every service and the gateway, written there when they stop.
    web: {
      host: process.env.GATEWAY_HOST ?? '0.0.0.0',
      adminPort: Number(process.env.WEB_ADMIN_PORT ?? 8081),
      studentPort: Number(process.env.WEB_STUDENT_PORT ?? 8082),
    },
    identity: { port: Number(process.env.OIDC_PORT ?? 8083), issuerHost: 'localhost' },
    ...(process.env.PROFILE_DIR ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${process.env.PROFILE_DIR}`] } : {}),
  });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nstopping…\n');
    platform.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`could not stop cleanly: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  const admin = await signToken({ sub: ADMIN_ID, role: 'admin', expiresIn: '7d' });
  const demo = await loadDemo(platform.gatewayUrl, admin).catch(async (error: unknown) => {
    await platform.stop(); // nothing may outlive a failed start
    throw error;
  });
  const subadmin = await signToken({ sub: SUBADMIN_ID, role: 'subadmin', categoryIds: [demo.categoryId], expiresIn: '7d' });
  const student = await signToken({ sub: STUDENT_ID, role: 'student', expiresIn: '7d' });
  const accounts: LocalAccount[] = [
    { username: 'admin', password: 'admin-demo-password', sub: ADMIN_ID, name: 'Ada Admin', role: 'admin' },
    {
      username: 'subadmin',
      password: 'subadmin-demo-password',
      sub: SUBADMIN_ID,
      name: 'Sam Subadmin',
      role: 'subadmin',
      categoryIds: [demo.categoryId],
    },
    { username: 'student', password: 'student-demo-password', sub: STUDENT_ID, name: 'Stu Student', role: 'student' },
  ];
  await platform.startIdentityProvider(accounts).catch(async (error: unknown) => {
    await platform.stop();
    throw error;
  });

  const url = platform.gatewayUrl.replace('127.0.0.1', 'localhost');
  process.stdout.write(
    [
      '',
      `admin        ${platform.webUrls!.admin.replace('127.0.0.1', 'localhost')}   (sign in as admin or subadmin below)`,
      `student      ${platform.webUrls!.student.replace('127.0.0.1', 'localhost')}   (sign in as student below)`,
      `sign-in      ${platform.issuer!}   (the local OpenID provider; the gateway trusts its tokens)`,
      ...accounts.map(
        (account) =>
          `  ${account.username.padEnd(9)}  password ${account.password}${account.role === 'subadmin' ? '   (scope: the demo category)' : ''}`,
      ),
      `gateway      ${url}`,
      `  health     ${url}/health`,
      `  ready      ${url}/ready`,
      `  API docs   ${url}/docs   (OpenAPI: ${url}/openapi.json)`,
      `  metrics    ${url}/metrics`,
      `database     ${platform.mongodbUri} (db ${platform.dbName})`,
      ...(platform.postgresUrl ? [`  stored in  ${platform.postgresUrl} (psql; one schema per database)`] : []),
      `services     ${Object.entries(platform.addresses)
        .map(([name, address]) => `${name} ${address}`)
        .join(', ')}`,
      `logs         ${platform.logDir}`,
      '',
      ...demo.summary,
      '',
      'tokens for curl and scripts (valid 7 days; the same users as the accounts):',
      `  ADMIN=${admin}`,
      `  SUBADMIN=${subadmin}   (scope: the demo category)`,
      `  STUDENT=${student}`,
      '',
      `try: curl -H "Authorization: Bearer $ADMIN" ${url}/api/categories`,
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`make dev failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
