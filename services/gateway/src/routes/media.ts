import { media as contract } from '@testmancer/contracts';
import type { Caller } from '@testmancer/shared';
import { mediaV1 } from '@testmancer/proto';
import { Readable } from 'node:stream';
import parseRange from 'range-parser';
import { z } from 'zod';
import type { Clients } from '../clients';
import type { GatewayConfig } from '../config';
import { HttpProblem } from '../http/problem';
import { defineRoute, type Reply } from '../http/route';
import { objectId } from '../http/schemas';
import { AUTHORS, resourceReply } from './common';
import { streamUpload } from './media-upload';

const TAGS = ['media'];

const kinds = new Map<mediaV1.AssetKind, 'image' | 'video'>([
  [mediaV1.AssetKind.IMAGE, 'image'],
  [mediaV1.AssetKind.VIDEO, 'video'],
]);

const renditionSchema = z.object({ width: z.number().int(), url: z.string() }).openapi('MediaRendition');

const assetSchema = z
  .object({
    id: z.string(),
    courseId: z.string(),
    kind: z.enum(contract.ASSET_KINDS),
    url: z.string().openapi({
      description:
        'Delivery URL: `/api/media/:assetId/content` (after the CDN in front of the gateway, if any), whichever provider keeps the bytes; for a course not published, that path with a signature that opens it for a few minutes (for `<img>` and `<video>`, which send no token)',
    }),
    bytes: z.number().int(),
    format: z.enum(Object.keys(contract.FORMATS) as [contract.Format, ...contract.Format[]]),
    mediaType: z.string(),
    width: z.number().int().optional(),
    height: z.number().int().optional(),
    checksum: z.string().openapi({ description: 'SHA-256 of the bytes, hex' }),
    filename: z.string(),
    renditions: z
      .array(renditionSchema)
      .openapi({ description: 'Images of a published course: smaller widths for responsive images (none before the course is published)' }),
    srcset: z.string().nullable().openapi({ description: 'The renditions as an `<img srcset>` value; null without renditions' }),
    createdAt: z.string(),
    version: z.number().int(),
  })
  .openapi('MediaAsset');

export function presentAsset(asset: mediaV1.Asset): z.infer<typeof assetSchema> {
  // The renditions' URLs carry no signature: until the course is published, the original through `url` only.
  const renditions = asset.published ? asset.renditions : [];
  return {
    id: asset.id,
    courseId: asset.courseId,
    kind: kinds.get(asset.kind) ?? 'image',
    url: asset.signedUrl || asset.url,
    bytes: asset.bytes,
    format: asset.format as contract.Format,
    mediaType: asset.mediaType,
    ...(asset.width !== undefined && { width: asset.width }),
    ...(asset.height !== undefined && { height: asset.height }),
    checksum: asset.checksum,
    filename: asset.filename,
    renditions: renditions.map(({ width, url }) => ({ width, url })),
    srcset: renditions.length > 0 ? renditions.map(({ width, url }) => `${url} ${String(width)}w`).join(', ') : null,
    createdAt: (asset.createdAt ?? new Date(0)).toISOString(),
    version: asset.version,
  };
}

const assetParams = z.strictObject({ assetId: objectId() });

const uploadForm = z
  .object({
    courseId: objectId().openapi({ description: 'The course the asset belongs to: before the file (or as `?courseId=`)' }),
    file: z.string().openapi({ type: 'string', format: 'binary', description: 'The file; its type is read from its content' }),
  })
  .openapi('MediaUpload');

const signatureBody = z.strictObject({ courseId: objectId(), kind: z.enum(contract.ASSET_KINDS).optional() });
const signatureSchema = z
  .object({
    provider: z.string(),
    uploadUrl: z.string(),
    fields: z.record(z.string(), z.string()),
    expiresAt: z.string(),
    maxBytes: z.number().int().openapi({ description: 'The largest file the upload may be (the kind’s limit)' }),
    assetId: z.string().optional().openapi({ description: 'Direct uploads (Cloudinary): the asset the file becomes once confirmed' }),
    confirmUrl: z
      .string()
      .optional()
      .openapi({ description: 'Direct uploads: POST here once the provider has the file; until then it is no asset' }),
  })
  .openapi('MediaUploadSignature');

/**
 * The bytes of an asset never change under its id, but its course can be
 * unpublished or the asset deleted: shared caches keep a published asset's
 * bytes a few minutes (then revalidate with its ETag), never longer.
 */
const PUBLISHED_BYTES = 'public, max-age=300';
/** A course not published: only its authors see it, and nothing on the way keeps a copy. */
const PRIVATE = 'private, no-store';

const contentQuery = z.strictObject({
  width: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .openapi({ description: 'One of the asset’s renditions (`renditions[].width`); a course not published gets the original' }),
  expires: z.coerce
    .number()
    .int()
    .positive()
    .optional()
    .openapi({ description: 'From a signed URL: when it stops opening the asset (ms)' }),
  signature: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,200}$/)
    .optional()
    .openapi({ description: 'From a signed URL' }),
});

const urlSignatureOf = (query: z.infer<typeof contentQuery>): mediaV1.UrlSignature | undefined =>
  query.expires !== undefined && query.signature !== undefined ? { expires: query.expires, signature: query.signature } : undefined;

const etagMatches = (header: string | undefined, etag: string) =>
  header !== undefined && header.split(',').some((tag) => tag.trim() === '*' || tag.trim().replace(/^W\//, '') === etag);

/** The stream of a ReadAssetContent call as bytes: read as the reader takes them, the call cancelled if they leave. */
function contentStream(messages: AsyncIterable<mediaV1.ReadAssetContentResponse>): Readable {
  return Readable.from(
    (async function* () {
      for await (const message of messages) yield message.chunk;
    })(),
    { objectMode: false },
  );
}

export function mediaRoutes(clients: Clients, config: Pick<GatewayConfig, 'MEDIA_UPLOAD_MAX_BYTES' | 'MEDIA_TRANSFER_DEADLINE_MS'>) {
  const media = clients.media;
  const getAsset = (caller: Caller, id: string, urlSignature?: mediaV1.UrlSignature, width?: number) =>
    media.getAsset({ id, urlSignature, width }, { caller }).then(({ asset }) => asset as mediaV1.Asset);

  async function content(
    caller: Caller,
    assetId: string,
    query: z.infer<typeof contentQuery>,
    req: { method: string; get(name: string): string | undefined },
  ): Promise<Reply> {
    const urlSignature = urlSignatureOf(query);
    const asset = await getAsset(caller, assetId, urlSignature, query.width);
    const cacheControl = asset.published ? PUBLISHED_BYTES : PRIVATE;
    // Whoever may see it gets the same bytes: a shared cache must not answer one caller with another's copy.
    const vary: Record<string, string> = asset.published ? {} : { Vary: 'Authorization' };
    if (!asset.servedByMedia) return { status: 302, headers: { Location: asset.deliveryUrl, 'Cache-Control': cacheControl, ...vary } };
    const etag = `"${asset.checksum}"`;
    const headers: Record<string, string> = {
      ETag: etag,
      'Cache-Control': cacheControl,
      ...vary,
      'Accept-Ranges': 'bytes',
      'Content-Type': asset.mediaType,
      // Pages on other origins (a CDN, the frontends) embed the files.
      'Cross-Origin-Resource-Policy': 'cross-origin',
      'Last-Modified': (asset.createdAt ?? new Date(0)).toUTCString(),
    };
    const [range, ifRange, ifNoneMatch] = [req.get('range'), req.get('if-range'), req.get('if-none-match')];
    if (etagMatches(ifNoneMatch, etag)) return { status: 304, headers };
    // A range applies only while the file is the one the client has part of (If-Range).
    const ranges =
      range !== undefined && (ifRange === undefined || ifRange === etag) ? parseRange(asset.bytes, range, { combine: true }) : undefined;
    if (ranges === -1) {
      throw new HttpProblem(416, `the range is outside the file's ${String(asset.bytes)} bytes`, undefined, {
        'Content-Range': `bytes */${String(asset.bytes)}`,
      });
    }
    // A malformed Range header, or several ranges, is answered with the whole file (RFC 9110 allows ignoring it).
    const single = Array.isArray(ranges) && ranges.length === 1 && ranges.type === 'bytes' ? ranges[0] : undefined;
    const start = single?.start ?? 0;
    const end = single?.end ?? asset.bytes - 1;
    headers['Content-Length'] = String(end - start + 1);
    if (single) headers['Content-Range'] = `bytes ${String(start)}-${String(end)}/${String(asset.bytes)}`;
    const status = single ? 206 : 200;
    if (req.method === 'HEAD') return { status, headers };
    const messages = media.readAssetContent(
      { id: assetId, offset: start, length: end - start + 1, urlSignature },
      { caller, deadline: config.MEDIA_TRANSFER_DEADLINE_MS },
    );
    return { status, headers, stream: contentStream(messages) };
  }

  return [
    defineRoute({
      method: 'post',
      path: '/api/media',
      summary: 'Upload an image or a video for a course',
      description: [
        '`multipart/form-data` with the field `courseId`, then `file` (the course first: who may upload, and whether the course has room, is decided before a byte is stored; or `?courseId=`). The type is decided from the content, never',
        `the name: ${Object.keys(contract.FORMATS).join(', ')}. Limits: images ${String(contract.MAX_BYTES.image)} bytes, videos`,
        `${String(contract.MAX_BYTES.video)} bytes, and a quota per course (413 beyond); other types 415; an empty file, a file name`,
        'with a path in it, or another field 400. Authors of the course only.',
      ].join(' '),
      tags: TAGS,
      access: AUTHORS,
      query: z.strictObject({
        courseId: objectId().optional().openapi({ description: 'The course, for a form that cannot send the courseId field first' }),
      }),
      multipart: uploadForm,
      responses: {
        201: { description: 'Stored', schema: assetSchema },
        404: { description: 'No such course (or not visible)' },
        413: { description: 'Past the size limit of its kind, or the course quota' },
        415: { description: 'Not a multipart body, or a file type that is not allowed' },
      },
      async handle({ caller, req }) {
        const asset = await streamUpload(req, {
          media,
          caller,
          maxFileBytes: config.MEDIA_UPLOAD_MAX_BYTES,
          deadlineMs: config.MEDIA_TRANSFER_DEADLINE_MS,
        });
        return resourceReply(201, presentAsset(asset), asset.version, { Location: `/api/media/${asset.id}` });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/media/signature',
      summary: 'Parameters for a signed upload straight to the media provider',
      description: [
        'With Cloudinary: the form fields (signature, timestamp, api key, public id in the course’s folder, the kind’s formats) to POST with the file to `uploadUrl` before `expiresAt`; the file becomes the asset `assetId` only through `confirmUrl`, which checks its format, size (`maxBytes`) and the course’s quota. What is never confirmed is removed after `expiresAt`.',
        'With local storage: `uploadUrl` is `POST /api/media` and the fields its `courseId`.',
      ].join(' '),
      tags: TAGS,
      access: AUTHORS,
      body: signatureBody,
      responses: {
        200: { description: 'The signed parameters', schema: signatureSchema },
        404: { description: 'No such course' },
        413: { description: 'The course’s media quota is used up' },
      },
      async handle({ caller, body }) {
        const kind =
          body.kind === 'image' ? mediaV1.AssetKind.IMAGE : body.kind === 'video' ? mediaV1.AssetKind.VIDEO : mediaV1.AssetKind.UNSPECIFIED;
        const signature = await media.createUploadSignature(
          {
            courseId: body.courseId,
            kind,
          },
          { caller },
        );
        return {
          status: 200,
          body: {
            provider: signature.provider,
            uploadUrl: signature.uploadUrl,
            fields: signature.fields,
            expiresAt: (signature.expiresAt ?? new Date()).toISOString(),
            maxBytes: signature.maxBytes,
            ...(signature.assetId && { assetId: signature.assetId, confirmUrl: `/api/media/${signature.assetId}/confirm` }),
          },
          headers: { 'Cache-Control': 'no-store' },
        };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/media/:assetId/confirm',
      summary: 'Make a direct upload an asset',
      description:
        'After the browser has uploaded the file with the fields of `POST /api/media/signature`: the provider’s file is checked (an allowed format of the kind signed for, within its size limit, within the course’s quota) and becomes the asset, or is removed. Confirming again answers the asset (200).',
      tags: TAGS,
      access: AUTHORS,
      params: assetParams,
      responses: {
        201: { description: 'The asset', schema: assetSchema },
        200: { description: 'Confirmed before: the asset', schema: assetSchema },
        404: { description: 'No such upload, or its signature expired' },
        409: { description: 'Nothing has been uploaded with the signature yet' },
        413: { description: 'Past the size limit of its kind, or the course quota (the file is removed)' },
        415: { description: 'Not an allowed format of the kind signed for (the file is removed)' },
      },
      async handle({ params, caller }) {
        const { asset, created } = await media.confirmUpload({ id: params.assetId }, { caller });
        const confirmed = asset as mediaV1.Asset;
        return resourceReply(created ? 201 : 200, presentAsset(confirmed), confirmed.version, { Location: `/api/media/${confirmed.id}` });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/media/:assetId',
      summary: 'An asset: kind, format, size, delivery URL',
      description: 'To whoever may see its course: everybody when it is published, its authors otherwise (404 for anyone else).',
      tags: TAGS,
      access: 'public',
      params: assetParams,
      responses: { 200: { description: 'The asset', schema: assetSchema }, 404: { description: 'No such asset, or not visible' } },
      async handle({ params, caller }) {
        const asset = await getAsset(caller, params.assetId);
        // A signed URL is the caller's to use, not a cache's to keep.
        return resourceReply(200, presentAsset(asset), asset.version, asset.signedUrl ? { 'Cache-Control': PRIVATE } : {});
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/media/:assetId/content',
      summary: "An asset's bytes (local storage), with ranges and caching",
      description: [
        'A published course’s assets to anybody, cached by shared caches for five minutes (`public, max-age=300`).',
        'Those of a course not published to its authors (with their token) or through the signed URL their metadata gives, `private, no-store`; anyone else, and any deleted asset, 404.',
        '`Range` (one range: 206, outside: 416), `If-Range`, `If-None-Match` (304). An asset stored with Cloudinary redirects (302): to its signed delivery URL when published, else to a download URL that expires with the signed URL.',
      ].join(' '),
      tags: TAGS,
      access: 'public',
      params: assetParams,
      query: contentQuery,
      responses: {
        200: { description: 'The whole file' },
        206: { description: 'The requested range' },
        302: { description: 'Stored with the provider: where it serves the bytes now' },
        400: { description: 'No rendition of that width' },
        304: { description: 'Not modified' },
        404: { description: 'No such asset' },
        416: { description: 'The range is outside the file' },
      },
      async handle({ params, query, caller, req }) {
        return content(caller, params.assetId, query, req);
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/api/media/:assetId',
      summary: 'Delete an asset no page uses',
      tags: TAGS,
      access: AUTHORS,
      params: assetParams,
      responses: {
        204: { description: 'Deleted' },
        404: { description: 'No such asset' },
        409: { description: 'A page uses the asset' },
        412: { description: 'If-Match is stale' },
      },
      async handle({ params, caller, ifMatch }) {
        await media.deleteAsset({ id: params.assetId, expectedVersion: ifMatch }, { caller });
        return { status: 204 };
      },
    }),
  ];
}
