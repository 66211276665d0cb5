/**
 * Every service authenticates its caller: from a process that is not the
 * gateway, over each service's real gRPC port, a call without a credential,
 * with a foreign or expired one, or with a user the gateway never vouched
 * for, is refused; only the quiz service may grant gems, and only so many.
 */
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { contentV1, gemsV1, mediaV1, quizV1 } from '@testmancer/proto';
import {
  createServiceClient,
  issuesOf,
  Status,
  type Caller,
  type RpcFailure,
  type ServiceIdentity,
  type ServiceName,
} from '@testmancer/shared';
import { SignJWT } from 'jose';
import { createChannel, createClient, Metadata } from 'nice-grpc';
import { api, newId, user } from '../support/api';
import { newImage } from '../support/media';
import { identityOf, platformKeys } from '../support/gateway';

const address = (service: 'content' | 'quiz' | 'gems' | 'media') => process.env[`TEST_${service.toUpperCase()}_ADDR`]!;
const failure = (call: Promise<unknown>) =>
  call.then(
    () => Promise.reject(new Error('expected the call to be refused')),
    (error: RpcFailure) => error,
  );
const inAMinute = () => Math.floor(Date.now() / 1000) + 60;

/** A token as a service would sign it, with the given key (the real one, or a stranger's). */
async function serviceToken(iss: string, aud: string, key: Parameters<SignJWT['sign']>[0], exp = inAMinute()) {
  return new SignJWT({}).setProtectedHeader({ alg: 'EdDSA' }).setIssuer(iss).setAudience(aud).setExpirationTime(exp).sign(key);
}

const keyOf = (name: ServiceName) => createPrivateKey(platformKeys().privateKeys[name]);

/** One call per service that needs a user: what each refusal is tried with. */
const calls = {
  content: (metadata: Metadata) =>
    createClient(contentV1.ContentServiceService, createChannel(address('content'))).createCategory({ name: 'forged' }, { metadata }),
  quiz: (metadata: Metadata) =>
    createClient(quizV1.QuizServiceService, createChannel(address('quiz'))).submitAttempt(
      { quizId: newId(), answers: [], timeTakenMs: 0, requestId: '' },
      { metadata },
    ),
  gems: (metadata: Metadata) =>
    createClient(gemsV1.GemsServiceService, createChannel(address('gems'))).getBalance({ userId: newId(), historyLimit: 0 }, { metadata }),
  media: (metadata: Metadata) =>
    createClient(mediaV1.MediaServiceService, createChannel(address('media'))).deleteAsset({ id: newId() }, { metadata }),
} as const;

describe.each(Object.keys(calls) as (keyof typeof calls)[])('the %s service', (service) => {
  const call = calls[service];
  const bearer = (token: string) => Metadata({ authorization: `Bearer ${token}` });

  test('refuses a call with no credential, even one that names an admin in its metadata', async () => {
    expect((await failure(call(Metadata({ 'x-user-role': 'admin', 'testmancer-user': 'admin' })))).code).toBe(Status.UNAUTHENTICATED);
  });

  test('refuses a credential signed by a key it does not trust, an expired one, and one addressed to another service', async () => {
    const stranger = generateKeyPairSync('ed25519').privateKey;
    const gatewayKey = keyOf('gateway');
    const other = service === 'content' ? 'quiz' : 'content';
    for (const token of [
      await serviceToken('gateway', service, stranger),
      await serviceToken('gateway', service, gatewayKey, inAMinute() - 120),
      await serviceToken('gateway', other, gatewayKey),
    ])
      expect((await failure(call(bearer(token)))).code).toBe(Status.UNAUTHENTICATED);
  });

  test('refuses a user the gateway did not vouch for: an admin token signed by another service', async () => {
    const forged = await new SignJWT({ role: 'admin', categoryIds: [] })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer('gateway')
      .setAudience('testmancer-services')
      .setSubject(newId())
      .setExpirationTime(inAMinute())
      .sign(keyOf('media'));
    const metadata = bearer(await serviceToken('gateway', service, keyOf('gateway')));
    metadata.set('testmancer-user', forged);
    expect((await failure(call(metadata))).code).toBe(Status.UNAUTHENTICATED);
  });
});

describe('GrantGems', () => {
  const grant = (identity: ServiceIdentity, amount = 5) =>
    createServiceClient(gemsV1.GemsServiceService, address('gems'), 'gems', { identity, defaultDeadlineMs: 10_000 }).grantGems({
      idempotencyKey: `zero-trust:${newId()}`,
      userId: newId(),
      amount,
      source: 'test',
      reason: 'zero trust',
    });

  test('answers the quiz service only: any other verified service is refused, whatever it asks', async () => {
    for (const name of ['gateway', 'content', 'media', 'gems'] as const)
      expect((await failure(grant(identityOf(name)))).code).toBe(Status.PERMISSION_DENIED);
    expect(await grant(identityOf('quiz'))).toMatchObject({ duplicate: false, grant: expect.objectContaining({ amount: 5 }) });
  });

  test('refuses more than the largest reward a quiz can have, even from the quiz service', async () => {
    const refused = await failure(grant(identityOf('quiz'), 2 ** 31 - 1));
    expect(refused.code).toBe(Status.INVALID_ARGUMENT);
  });

  test('a user acting for themselves through a service credential that is not quiz’s gets nothing either', async () => {
    const gateway = identityOf('gateway');
    const student = { kind: 'user' as const, userId: newId(), role: 'student' as const, categoryIds: [] };
    const caller: Caller = { ...student, credential: await gateway.userToken(student) };
    const client = createServiceClient(gemsV1.GemsServiceService, address('gems'), 'gems', {
      identity: gateway,
      defaultDeadlineMs: 10_000,
    });
    const refused = await failure(
      client.grantGems(
        { idempotencyKey: `zero-trust:${newId()}`, userId: student.userId, amount: 10, source: 'x', reason: 'y' },
        { caller },
      ),
    );
    expect(refused.code).toBe(Status.PERMISSION_DENIED);
  });
});

test('a service refuses a string the database cannot store itself, naming the field, also when the gateway is not the caller', async () => {
  const gateway = identityOf('gateway');
  const admin = { kind: 'user' as const, userId: newId(), role: 'admin' as const, categoryIds: [] };
  const content = createServiceClient(contentV1.ContentServiceService, address('content'), 'content', {
    identity: gateway,
    defaultDeadlineMs: 10_000,
  });
  const refused = await failure(
    content.createCategory({ name: 'Math\u0000' }, { caller: { ...admin, credential: await gateway.userToken(admin) } }),
  );
  expect(refused.code).toBe(Status.INVALID_ARGUMENT);
  expect(issuesOf(refused)).toEqual([{ path: 'name', message: 'must not contain the character U+0000' }]);
});

test('media answers a draft course’s asset, metadata and bytes, over its own port only to those who may see the course', async () => {
  const admin = await user('admin');
  const categoryId = (await api('POST', '/api/categories', { as: admin, body: { name: `zero trust ${newId()}` } })).body.id as string;
  const courseId = (
    await api('POST', '/api/courses', { as: admin, body: { title: `draft ${newId()}`, categoryId, structure: { unitType: 'unit' } } })
  ).body.id as string;
  const { id } = await newImage(admin, courseId);

  const gateway = identityOf('gateway');
  const media = createServiceClient(mediaV1.MediaServiceService, address('media'), 'media', {
    identity: gateway,
    defaultDeadlineMs: 10_000,
  });
  const as = async (who: Omit<Extract<Caller, { kind: 'user' }>, 'credential'>): Promise<Caller> => ({
    ...who,
    credential: await gateway.userToken(who),
  });
  const read = async (caller?: Caller, urlSignature?: mediaV1.UrlSignature) => {
    const chunks: Buffer[] = [];
    for await (const { chunk } of media.readAssetContent({ id, offset: 0, length: 0, urlSignature }, caller ? { caller } : {})) {
      chunks.push(Buffer.from(chunk));
    }
    return Buffer.concat(chunks);
  };

  const student = await as({ kind: 'user', userId: newId(), role: 'student', categoryIds: [] });
  const outsider = await as({ kind: 'user', userId: newId(), role: 'subadmin', categoryIds: [newId()] });
  const forgedSignature = { expires: Date.now() + 60_000, signature: 'A'.repeat(86) };
  for (const caller of [undefined, student, outsider]) {
    expect((await failure(media.getAsset({ id }, caller ? { caller } : {}))).code).toBe(Status.NOT_FOUND);
    expect((await failure(media.getAsset({ id, urlSignature: forgedSignature }, caller ? { caller } : {}))).code).toBe(Status.NOT_FOUND);
    expect((await failure(read(caller))).code).toBe(Status.NOT_FOUND);
    expect((await failure(read(caller, forgedSignature))).code).toBe(Status.NOT_FOUND);
  }

  const author = await as({ kind: 'user', userId: admin.sub, role: 'admin', categoryIds: [] });
  expect((await media.getAsset({ id }, { caller: author })).asset).toMatchObject({ id, published: false });
  expect((await read(author)).subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
});
