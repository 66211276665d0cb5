// `npm run load-test` hands the run to k6 when a k6 binary is on the PATH,
// with the scenario's settings in k6's environment, and passes k6's verdict on.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CLI = path.resolve(__dirname, '../engine/cli.js');
let bin: string;

beforeAll(() => {
  bin = mkdtempSync(path.join(os.tmpdir(), 'fake-k6-'));
  // Stands in for k6: records how it was called, and answers as k6 does when a threshold is crossed.
  writeFileSync(path.join(bin, 'k6'), `#!/bin/sh\necho "$@|$SCENARIO|$USERS|$BASE_URL|$SUMMARY_JSON" > "${bin}/called"\nexit 99\n`);
  chmodSync(path.join(bin, 'k6'), 0o755);
});
afterAll(() => rmSync(bin, { recursive: true, force: true }));

const run = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, [CLI, ...args], {
    env: { PATH: `${bin}${path.delimiter}${path.dirname(process.execPath)}:/bin:/usr/bin`, ...env },
    encoding: 'utf8',
  });

test('with k6 on the PATH, k6 runs the scenario script and its threshold verdict is the exit code', () => {
  const result = run(['--scenario', 'structured-courses', '--users', '1000', '--summary-json', 'out.json'], {
    BASE_URL: 'http://127.0.0.1:9999',
  });
  expect(result.stdout).toMatch(/running k6 .*k6\/scenarios\/structured-courses\.js \(1000 users against http:\/\/127\.0\.0\.1:9999\)/);
  expect(result.stderr).toMatch(/a threshold was crossed/);
  expect(result.status).toBe(99);
  const [args, scenario, users, baseUrl, summary] = readFileSync(path.join(bin, 'called'), 'utf8').trim().split('|');
  expect(args).toMatch(/^run .*k6\/scenarios\/structured-courses\.js$/);
  expect({ scenario, users, baseUrl, summary }).toEqual({
    scenario: 'structured-courses',
    users: '1000',
    baseUrl: 'http://127.0.0.1:9999',
    summary: 'out.json',
  });
});

test('bad settings and targets off this machine are refused with a clear message', () => {
  expect(run(['--users', 'many'], {})).toMatchObject({
    status: 2,
    stderr: expect.stringMatching(/USERS must be a number of at least 1, not "many"/),
  });
  expect(run(['--scenario', 'nope'], {})).toMatchObject({
    status: 2,
    stderr: expect.stringMatching(/SCENARIO must be one of structured-courses, authoring/),
  });
  expect(run([], { BASE_URL: 'http://example.com' })).toMatchObject({
    status: 2,
    stderr: expect.stringMatching(/is not on this machine; pass --allow-remote/),
  });
});
