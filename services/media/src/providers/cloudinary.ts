import { media } from '@testmancer/contracts';
import { v2 as cloudinary, type UploadApiOptions, type UploadApiResponse } from 'cloudinary';
import { createReadStream } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';
import type { AssetKind, Format, Rendition } from '../domain/asset';
import {
  lastingUrl,
  ProviderError,
  type Delivery,
  type DirectUploadTarget,
  type MediaProvider,
  type ReceivedFile,
  type StagedFile,
  type StoredObject,
  type UploadSignature,
} from './provider';

/** Widths of the image renditions offered, each only when smaller than the image. */
const RENDITION_WIDTHS = [320, 640, 960, 1280, 1920] as const;

/** Cloudinary refuses a signed request older than an hour. */
const SIGNATURE_LIFETIME_S = 60 * 60;

/**
 * Every file is stored with Cloudinary's authenticated delivery type: its
 * public URL answers nothing, only a URL signed with the account's secret
 * does. So the bytes of a course not published are fetched only through a
 * download URL that expires, handed out after the course's visibility is
 * checked (`deliveryUrl`).
 */
const DELIVERY_TYPE = 'authenticated';

/** The resource types a direct upload without a kind can become under the allowed formats. */
const DIRECT_UPLOAD_TYPES: readonly AssetKind[] = ['image', 'video'];

export interface CloudinaryProviderOptions {
  readonly cloudName: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** The upload API's host, `https://api.cloudinary.com` unless told otherwise (a regional host, a stand-in in tests). */
  readonly uploadPrefix?: string;
  /** Every public id starts with this folder. */
  readonly folder?: string;
  /** What the assets' lasting URLs start with: empty for paths on the gateway, or the CDN in front of it. */
  readonly publicBaseUrl?: string;
  /** How long one request may go without an answer (each chunk of an upload is a request); 60 s unless told otherwise. */
  readonly timeoutMs?: number;
  /** Uploads are sent in chunks of this many bytes (Cloudinary takes at most 100 MB in one request, and needs at least 5 MB per chunk but the last). */
  readonly chunkBytes?: number;
  /**
   * How long the fields of a direct upload open Cloudinary's upload API: an
   * hour (Cloudinary's own limit) unless told less, which is had by signing
   * a timestamp that far in the past.
   */
  readonly directUploadWindowMs?: number;
}

type Overrides = Omit<CloudinaryProviderOptions, 'cloudName' | 'apiKey' | 'apiSecret'>;

/**
 * The settings in the standard `cloudinary://<api_key>:<api_secret>@<cloud_name>`
 * URL, with the other options from `overrides`. Throws on a URL of another
 * shape; the message never shows the secret.
 */
export function cloudinaryOptionsFromUrl(cloudinaryUrl: string, overrides: Overrides = {}): CloudinaryProviderOptions {
  const shape = 'expected cloudinary://<api_key>:<api_secret>@<cloud_name>';
  let url: URL;
  try {
    url = new URL(cloudinaryUrl.trim());
  } catch {
    throw new Error(`CLOUDINARY_URL is not a URL (${shape})`);
  }
  if (url.protocol !== 'cloudinary:') throw new Error(`CLOUDINARY_URL has the scheme ${url.protocol} (${shape})`);
  const apiKey = decodeURIComponent(url.username);
  const apiSecret = decodeURIComponent(url.password);
  const cloudName = url.hostname;
  if (!apiKey || !apiSecret || !cloudName) throw new Error(`CLOUDINARY_URL lacks its api key, api secret or cloud name (${shape})`);
  if ((url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) {
    throw new Error(`CLOUDINARY_URL has more than a cloud name after the @ (${shape})`);
  }
  return { ...overrides, cloudName, apiKey, apiSecret };
}

/** What the SDK hands its callbacks on a failure: Cloudinary's `error` object with `http_code` added, or a Node error. */
interface SdkError {
  readonly message?: unknown;
  readonly name?: unknown;
  readonly http_code?: unknown;
  readonly code?: unknown;
}

const ACTIONS = { store: 'the upload', remove: 'the removal', inspect: 'the description of an upload' } as const;

/**
 * Assets kept by Cloudinary, which serves them and their renditions from its
 * CDN. An asset's lasting URL is the gateway's path, as for local files: the
 * gateway checks who may see the course and then redirects to where
 * Cloudinary serves the bytes (`deliveryUrl`). Every call carries its own settings (nothing goes through the SDK's
 * global `cloudinary.config()`), so providers with different accounts or
 * hosts can live in one process.
 */
export class CloudinaryProvider implements MediaProvider {
  readonly name = 'cloudinary';
  readonly servesBytes = false;
  readonly receivesDirectUploads = true;

  private readonly uploadPrefix: string;
  private readonly folder: string;
  private readonly publicBaseUrl: string;
  private readonly timeoutMs: number;
  private readonly chunkBytes: number;
  private readonly directUploadWindowS: number;
  private readonly agent: http.Agent;

  constructor(private readonly options: CloudinaryProviderOptions) {
    this.uploadPrefix = (options.uploadPrefix ?? 'https://api.cloudinary.com').replace(/\/+$/, '');
    this.folder = options.folder ?? 'testmancer';
    this.publicBaseUrl = options.publicBaseUrl ?? '';
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.chunkBytes = options.chunkBytes ?? 20_000_000;
    this.directUploadWindowS = Math.ceil((options.directUploadWindowMs ?? SIGNATURE_LIFETIME_S * 1000) / 1000);
    if (
      !Number.isSafeInteger(this.directUploadWindowS) ||
      this.directUploadWindowS <= 0 ||
      this.directUploadWindowS > SIGNATURE_LIFETIME_S
    ) {
      throw new Error(`the Cloudinary direct upload window must be above 0 and at most an hour, not ${options.directUploadWindowMs} ms`);
    }
    if (!options.cloudName || !options.apiKey || !options.apiSecret) {
      throw new Error('Cloudinary needs a cloud name, an api key and an api secret');
    }
    for (const [name, value] of [
      ['timeoutMs', this.timeoutMs],
      ['chunkBytes', this.chunkBytes],
    ] as const) {
      if (!Number.isSafeInteger(value) || value <= 0) {
        throw new Error(`the Cloudinary ${name} must be a whole number above 0, not ${value}`);
      }
    }
    const protocol = new URL(this.uploadPrefix).protocol;
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw new Error(`the Cloudinary upload prefix must be an http(s) URL, not ${protocol}`);
    }
    // The SDK's lib/uploader.js chooses between `http` and `https` once, when it is
    // loaded, from the global config's upload_prefix, and then calls that module's
    // request() whatever upload_prefix a call passes: an `http://` prefix given per
    // call fails with ERR_INVALID_PROTOCOL (thrown, not reported to the callback).
    // Node takes the protocol from the request's agent when there is one, so every
    // call passes an agent of the prefix's own protocol. Upstream:
    // cloudinary/cloudinary_npm#486 ("Unable to use upload_prefix without https"),
    // closed by #487, which only made the load-time choice read the global config;
    // a per-call prefix is still not looked at (2.11.0).
    this.agent = protocol === 'http:' ? new http.Agent({ keepAlive: true }) : new https.Agent({ keepAlive: true });
  }

  /** Closes the kept-alive connections (at shutdown, or at the end of a test). */
  close(): void {
    this.agent.destroy();
  }

  private publicIdOf(courseId: string, assetId: string): string {
    return `${this.folder}/${courseId}/${assetId}`;
  }

  /** The account and transport settings every SDK call takes. */
  private callOptions(): UploadApiOptions {
    return {
      api_key: this.options.apiKey,
      api_secret: this.options.apiSecret,
      cloud_name: this.options.cloudName,
      upload_prefix: this.uploadPrefix,
      timeout: this.timeoutMs,
      agent: this.agent,
    };
  }

  async store(file: StagedFile): Promise<StoredObject> {
    const publicId = this.publicIdOf(file.courseId, file.assetId);
    const result = await this.upload(file, {
      ...this.callOptions(),
      resource_type: file.kind,
      type: DELIVERY_TYPE,
      public_id: publicId,
      use_filename: false,
      unique_filename: false,
      overwrite: true,
      chunk_size: this.chunkBytes,
      filename: file.assetId,
    });
    if (typeof result.public_id !== 'string') {
      throw new ProviderError('store', 'Cloudinary answered the upload without a public id', true);
    }
    const width = typeof result.width === 'number' ? result.width : file.width;
    const height = typeof result.height === 'number' ? result.height : file.height;
    return {
      providerId: result.public_id,
      url: lastingUrl(this.publicBaseUrl, file.assetId),
      bytes: typeof result.bytes === 'number' ? result.bytes : file.bytes,
      width,
      height,
      renditions: file.kind === 'image' && width !== undefined ? this.renditions(file.assetId, width) : [],
    };
  }

  /**
   * `upload_large`'s chunked upload, fed from a stream of our own: `upload_large`
   * opens the file itself and, when a chunk before the last fails, leaves that
   * file open for good (its chunker stops reading and nothing closes the
   * source). `pipeline` closes the file on every outcome.
   */
  private upload(file: StagedFile, options: UploadApiOptions): Promise<UploadApiResponse> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const source = createReadStream(file.path);
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        source.destroy();
        reject(this.failure('store', error));
      };
      const sink = cloudinary.uploader.upload_chunked_stream(options, (error, result) => {
        if (error || !result) return fail(error ?? new Error('no answer'));
        if (settled) return;
        settled = true;
        resolve(result);
      });
      pipeline(source, sink).catch((error: unknown) => {
        const { code, syscall } = error as NodeJS.ErrnoException;
        if (syscall !== 'open' && syscall !== 'read') return fail(error);
        if (settled) return;
        settled = true;
        reject(new ProviderError('store', `the staged file could not be read (${code ?? 'error'})`, false, { cause: error }));
      });
    });
  }

  /** The widths below the image's own, each at its lasting URL. */
  private renditions(assetId: string, width: number): Rendition[] {
    return RENDITION_WIDTHS.filter((w) => w < width).map((w) => ({ width: w, url: lastingUrl(this.publicBaseUrl, assetId, w) }));
  }

  /**
   * Published: the signed delivery URL of the file (or of a rendition,
   * transformed by Cloudinary), lasting and cached by its CDN. Otherwise the
   * upload API's download URL of the original, signed to stop at
   * `expiresAt`.
   */
  deliveryUrl(object: { readonly providerId: string; readonly kind: AssetKind; readonly format: Format }, delivery: Delivery): string {
    if (!delivery.published) {
      return cloudinary.utils.private_download_url(object.providerId, object.format, {
        ...this.callOptions(),
        resource_type: object.kind,
        type: DELIVERY_TYPE,
        expires_at: Math.floor(delivery.expiresAt.getTime() / 1000),
      });
    }
    const rendition = delivery.width !== undefined && object.kind === 'image';
    return cloudinary.url(object.providerId, {
      secure: true,
      cloud_name: this.options.cloudName,
      api_secret: this.options.apiSecret,
      resource_type: object.kind,
      type: DELIVERY_TYPE,
      sign_url: true,
      ...(rendition
        ? { transformation: [{ width: delivery.width, crop: 'limit', fetch_format: 'auto', quality: 'auto' }] }
        : { format: object.format }),
      // Without the SDK's `?_a=` usage token, a URL does not change with the SDK's version.
      urlAnalytics: false,
    });
  }

  async remove(asset: {
    readonly assetId: string;
    readonly courseId: string;
    readonly kind: AssetKind;
    readonly providerId: string;
  }): Promise<void> {
    const publicId = asset.providerId || this.publicIdOf(asset.courseId, asset.assetId);
    const options: UploadApiOptions = { ...this.callOptions(), resource_type: asset.kind, type: DELIVERY_TYPE, invalidate: true };
    let answer: unknown;
    try {
      answer = await cloudinary.uploader.destroy(publicId, options);
    } catch (error) {
      throw this.failure('remove', error);
    }
    const result = (answer as { result?: unknown } | undefined)?.result;
    if (result === 'ok' || result === 'not found') return;
    throw new ProviderError('remove', `Cloudinary answered the removal with ${JSON.stringify(result ?? null).slice(0, 100)}`, true);
  }

  read(): never {
    throw new ProviderError('read', 'Cloudinary assets are served by Cloudinary', false);
  }

  /**
   * Fields for the browser's upload of one asset: its public id in the
   * course's folder, the formats of the kind, and `overwrite=false`, so that
   * the fields cannot replace a file once it has been confirmed. Cloudinary's
   * upload API takes no size limit: the confirmation checks the size.
   */
  signUpload(request: DirectUploadTarget): UploadSignature {
    const timestamp = Math.floor(Date.now() / 1000) - (SIGNATURE_LIFETIME_S - this.directUploadWindowS);
    const formats = Object.entries(media.FORMATS)
      .filter(([, format]) => request.kind === undefined || format.kind === request.kind)
      .map(([name]) => name);
    const params = {
      timestamp: String(timestamp),
      public_id: this.publicIdOf(request.courseId, request.assetId),
      type: DELIVERY_TYPE,
      allowed_formats: formats.join(','),
      overwrite: 'false',
    };
    const signature = cloudinary.utils.api_sign_request(params, this.options.apiSecret);
    return {
      uploadUrl: `${this.uploadPrefix}/v1_1/${this.options.cloudName}/${request.kind ?? 'auto'}/upload`,
      fields: { ...params, api_key: this.options.apiKey, signature },
      expiresAt: new Date((timestamp + SIGNATURE_LIFETIME_S) * 1000),
    };
  }

  /**
   * The file under the upload's public id, as Cloudinary describes it: asked
   * with `explicit`, of the upload API (the admin API's `resource` is rate
   * limited per hour), once per resource type it may have.
   */
  async received(upload: DirectUploadTarget): Promise<ReceivedFile | undefined> {
    const publicId = this.publicIdOf(upload.courseId, upload.assetId);
    for (const resourceType of upload.kind ? [upload.kind] : DIRECT_UPLOAD_TYPES) {
      let result: UploadApiResponse;
      try {
        // The SDK types `explicit` as any; its answer is the upload's description.
        result = (await cloudinary.uploader.explicit(publicId, {
          ...this.callOptions(),
          type: DELIVERY_TYPE,
          resource_type: resourceType,
        })) as UploadApiResponse;
      } catch (error) {
        if ((error as SdkError | undefined)?.http_code === 404) continue;
        throw this.failure('inspect', error);
      }
      if (typeof result.public_id !== 'string' || typeof result.bytes !== 'number') {
        throw new ProviderError('inspect', 'Cloudinary described the upload without its public id or size', true);
      }
      const width = typeof result.width === 'number' ? result.width : undefined;
      const height = typeof result.height === 'number' ? result.height : undefined;
      return {
        providerId: result.public_id,
        url: lastingUrl(this.publicBaseUrl, upload.assetId),
        bytes: result.bytes,
        format: typeof result.format === 'string' && result.format ? result.format : undefined,
        resourceType: typeof result.resource_type === 'string' ? result.resource_type : resourceType,
        ...(width !== undefined && { width }),
        ...(height !== undefined && { height }),
        ...(typeof result.original_filename === 'string' && result.original_filename && { filename: result.original_filename }),
        renditions: resourceType === 'image' && width !== undefined ? this.renditions(upload.assetId, width) : [],
      };
    }
    return undefined;
  }

  async removeReceived(upload: DirectUploadTarget): Promise<void> {
    for (const kind of upload.kind ? [upload.kind] : DIRECT_UPLOAD_TYPES) {
      await this.remove({ assetId: upload.assetId, courseId: upload.courseId, kind, providerId: '' });
    }
  }

  /** A ProviderError for what the SDK reported: retryable unless Cloudinary refused the request itself. */
  private failure(operation: 'store' | 'remove' | 'inspect', error: unknown): ProviderError {
    const sdk = (typeof error === 'object' && error !== null ? error : {}) as SdkError;
    const action = ACTIONS[operation];
    if (sdk.name === 'TimeoutError' || sdk.http_code === 499) {
      return new ProviderError(operation, `Cloudinary did not answer ${action} within ${this.timeoutMs} ms`, true, { cause: error });
    }
    const detail = typeof sdk.message === 'string' && sdk.message ? `: ${this.scrub(sdk.message)}` : '';
    if (typeof sdk.http_code === 'number') {
      const status = sdk.http_code;
      // 420 is Cloudinary's rate limit (as 429); any other 4xx is a refusal that will not change on a retry.
      const retryable = status >= 500 || status === 408 || status === 420 || status === 429;
      return new ProviderError(operation, `Cloudinary answered ${status} to ${action}${detail}`, retryable, { cause: error });
    }
    const code = typeof sdk.code === 'string' ? ` (${sdk.code})` : '';
    return new ProviderError(operation, `Cloudinary could not be reached for ${action}${code}${detail}`, true, { cause: error });
  }

  /** Cloudinary's messages quote what was signed, never the secret; this keeps it so, and keeps them short. */
  private scrub(message: string): string {
    return message.split(this.options.apiSecret).join('[secret]').slice(0, 300);
  }
}
