// Smoke test of the generated code: a real grpc-js server and client on
// loopback, and binary round trips of the richest messages.
import { credentials, Metadata, Server, ServerCredentials, status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { contentV1, gemsV1, mediaV1, quizV1 } from '../gen/index';

const grantedAt = new Date('2026-11-25T10:00:00.123Z');

function startServer(impl: gemsV1.GemsServiceServer): Promise<{ server: Server; port: number }> {
  const server = new Server();
  server.addService(gemsV1.GemsServiceService, impl);
  return new Promise((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve({ server, port })));
  });
}

function getBalance(client: gemsV1.GemsServiceClient, request: gemsV1.GetBalanceRequest): Promise<gemsV1.GetBalanceResponse> {
  return new Promise((resolve, reject) => {
    client.getBalance(request, new Metadata(), { deadline: Date.now() + 5_000 }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

describe('generated grpc-js stubs', () => {
  let server: Server;
  let client: gemsV1.GemsServiceClient;
  const seen: gemsV1.GetBalanceRequest[] = [];

  beforeAll(async () => {
    const started = await startServer({
      getBalance: (call, callback) => {
        seen.push(call.request);
        if (call.request.userId === 'missing') {
          callback({ code: status.NOT_FOUND, details: 'no such user' });
          return;
        }
        callback(null, {
          userId: call.request.userId,
          earnedGems: 7,
          history: [
            {
              id: '65a000000000000000000001',
              idempotencyKey: 'quiz:q1:user:u1',
              userId: call.request.userId,
              amount: 7,
              source: 'q1',
              reason: 'first attempt',
              grantedAt,
            },
          ],
        });
      },
      grantGems: (_call, callback) => {
        callback({ code: status.UNIMPLEMENTED, details: 'not in this test' });
      },
    });
    server = started.server;
    client = new gemsV1.GemsServiceClient(`127.0.0.1:${started.port}`, credentials.createInsecure());
  });

  afterAll(async () => {
    client.close();
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  });

  it('round-trips GemsService.GetBalance with a Date', async () => {
    const res = await getBalance(client, { userId: '65a0000000000000000000aa', historyLimit: 0 });

    expect(res.earnedGems).toBe(7);
    expect(res.history).toHaveLength(1);
    expect(res.history[0]?.grantedAt).toEqual(grantedAt);
    expect(seen[0]).toEqual({ userId: '65a0000000000000000000aa', historyLimit: 0 });
  });

  it('carries a status code back to the client', async () => {
    await expect(getBalance(client, { userId: 'missing', historyLimit: 0 })).rejects.toMatchObject({
      code: status.NOT_FOUND,
      details: 'no such user',
    } satisfies Partial<ServiceError>);
  });
});

describe('generated messages', () => {
  it('encodes and decodes a Page with every kind of Block (oneof)', () => {
    const blocks: contentV1.Block[] = [
      { kind: { $case: 'markdown', value: { markdown: '# Hello' } } },
      { kind: { $case: 'image', value: { assetId: '65a000000000000000000010', alt: 'a cat' } } },
      { kind: { $case: 'video', value: { assetId: '65a000000000000000000011', caption: 'intro' } } },
      { kind: { $case: 'video', value: { assetId: '65a000000000000000000012' } } },
      { kind: { $case: 'embed', value: { url: 'https://example.com/x' } } },
      { kind: { $case: 'callout', value: { tone: contentV1.CalloutTone.WARNING, markdown: 'careful' } } },
    ];
    const page: contentV1.Page = {
      id: '65a000000000000000000020',
      courseId: '65a000000000000000000021',
      unitId: '65a000000000000000000022',
      pageOrder: 2,
      title: 'Page two',
      blocks,
      media: [
        {
          assetId: '65a000000000000000000010',
          url: 'https://media.example/cat.png',
          kind: contentV1.MediaKind.IMAGE,
          providerId: 'course/cat',
          width: 1200,
          height: 0,
          renditions: [
            { width: 480, url: 'https://media.example/cat-480.png' },
            { width: 960, url: 'https://media.example/cat-960.png' },
          ],
          mediaType: 'image/png',
        },
        {
          assetId: '',
          url: 'https://legacy.example/intro.mp4',
          kind: contentV1.MediaKind.VIDEO,
          providerId: '',
          renditions: [],
          mediaType: '',
        },
      ],
      version: 3,
      createdAt: new Date('2026-01-01T00:00:00Z'),
      updatedAt: new Date('2026-01-02T00:00:00.5Z'),
    };

    const decoded = contentV1.Page.decode(contentV1.Page.encode(page).finish());

    expect(decoded).toEqual(page);
    const video = decoded.blocks[3]?.kind;
    expect(video?.$case === 'video' && video.value.caption).toBeUndefined();
    // A width or height of 0 is sent (optional fields), an unknown one is not.
    expect(decoded.media[0]?.height).toBe(0);
    expect(decoded.media[1]?.width).toBeUndefined();
  });

  it('encodes and decodes a Course with units, page summaries and a status', () => {
    const course: contentV1.Course = {
      id: '65a000000000000000000030',
      title: 'Algebra',
      description: '',
      categoryId: '65a000000000000000000031',
      status: contentV1.CourseStatus.PUBLISHED,
      structure: { unitType: 'module', unitCount: 1 },
      units: [
        {
          id: '65a000000000000000000032',
          order: 1,
          title: 'Basics',
          pageCount: 1,
          pages: [{ id: '65a000000000000000000033', pageOrder: 1, title: 'Intro' }],
          version: 1,
        },
      ],
      version: 5,
      createdBy: '',
      createdAt: new Date('2026-01-01T00:00:00Z'),
      updatedAt: new Date('2026-01-01T00:00:00Z'),
    };

    expect(contentV1.Course.decode(contentV1.Course.encode(course).finish())).toEqual(course);
  });

  it('keeps proto3 optional fields absent unless set', () => {
    const unconditional = contentV1.UpdateCourseRequest.decode(
      contentV1.UpdateCourseRequest.encode(
        contentV1.UpdateCourseRequest.fromPartial({ id: '65a000000000000000000030', title: 'New' }),
      ).finish(),
    );
    expect(unconditional.expectedVersion).toBeUndefined();
    expect(unconditional.description).toBeUndefined();
    expect(unconditional.title).toBe('New');

    const conditional = contentV1.UpdateCourseRequest.decode(
      contentV1.UpdateCourseRequest.encode(
        contentV1.UpdateCourseRequest.fromPartial({ id: '65a000000000000000000030', expectedVersion: 0 }),
      ).finish(),
    );
    expect(conditional.expectedVersion).toBe(0);
  });

  it('drops the answer when an author Question is read as a student QuestionView, whatever its type', () => {
    const choice: quizV1.Question = {
      id: 'q1',
      prompt: 'Pick primes',
      points: 3,
      kind: { $case: 'multiple', value: { options: ['2', '4', '5'], answer: [0, 2] } },
    };
    const choiceView = quizV1.QuestionView.decode(quizV1.Question.encode(choice).finish());
    expect(choiceView).toEqual({
      id: 'q1',
      prompt: 'Pick primes',
      points: 3,
      kind: { $case: 'multiple', value: { options: ['2', '4', '5'] } },
    });

    const number: quizV1.Question = {
      id: 'q2',
      prompt: 'Pi to two places',
      points: 1,
      kind: { $case: 'number', value: { answer: 3.14, tolerance: 0.005 } },
    };
    const numberView = quizV1.QuestionView.decode(quizV1.Question.encode(number).finish());
    expect(numberView).toEqual({ id: 'q2', prompt: 'Pi to two places', points: 1, kind: { $case: 'number', value: {} } });
    expect(Object.keys(quizV1.ChoiceView.create())).not.toContain('answer');
  });

  it('carries upload chunks as Buffers and int64 sizes as numbers', () => {
    const first: mediaV1.UploadAssetRequest = {
      payload: {
        $case: 'metadata',
        value: {
          courseId: '65a000000000000000000030',
          filename: 'cat.png',
          contentType: 'image/png',
          declaredSize: 5_000_000_000,
        },
      },
    };
    const chunk: mediaV1.UploadAssetRequest = { payload: { $case: 'chunk', value: Buffer.from([1, 2, 3]) } };

    expect(mediaV1.UploadAssetRequest.decode(mediaV1.UploadAssetRequest.encode(first).finish())).toEqual(first);
    const decodedChunk = mediaV1.UploadAssetRequest.decode(mediaV1.UploadAssetRequest.encode(chunk).finish());
    expect(decodedChunk.payload?.$case).toBe('chunk');
    expect(Buffer.isBuffer(decodedChunk.payload?.value)).toBe(true);
    expect(decodedChunk).toEqual(chunk);
  });
});
