// Tracing first: it must patch grpc-js and the MongoDB driver before they load.
import { startTracing } from '@testmancer/shared/tracing';
startTracing('media');

import { media } from '@testmancer/contracts';
import { exitOnStartupFailure, grpcAddress, positiveMs, runService } from '@testmancer/shared';
import { contentV1 } from '@testmancer/proto';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { Assets } from './application/assets';
import { DirectUploads } from './application/direct-uploads';
import { Repair } from './application/repair';
import { Delivery } from './application/delivery';
import { SignedUrls } from './application/signed-urls';
import { Uploads } from './application/uploads';
import { ContentCourses } from './clients/content';
import { UploadSlots } from './domain/upload-slots';
import { createMediaMetrics } from './metrics';
import { cloudinaryOptionsFromUrl, CloudinaryProvider } from './providers/cloudinary';
import { LocalProvider } from './providers/local';
import type { MediaProvider } from './providers/provider';
import { mediaService } from './rpc/media';
import { assetIndexes, MongoAssetStore } from './store/assets';
import { directUploadIndexes, MongoDirectUploadStore } from './store/direct-uploads';
import { DiskStagingArea } from './store/staging';

const bytes = () => z.coerce.number().int().positive();

runService({
  name: 'media',
  env: {
    CONTENT_ADDR: grpcAddress(),
    CONTENT_DEADLINE_MS: positiveMs().default(2_000),
    MEDIA_PROVIDER: z.enum(['local', 'cloudinary']).default('local'),
    // The local provider's files; uploads are staged beside them (same file system: a rename, not a copy).
    MEDIA_LOCAL_DIR: z.string().min(1).default('data/media'),
    MEDIA_STAGING_DIR: z.string().min(1).optional(),
    // What the assets' lasting URLs start with: empty for paths on the gateway, or the CDN in front of it.
    MEDIA_PUBLIC_BASE_URL: z
      .string()
      .regex(/^(https?:\/\/[^\s]+[^/])?$/, 'must be empty or an http(s) URL without a trailing slash')
      .default(''),
    MEDIA_IMAGE_MAX_BYTES: bytes().default(media.MAX_BYTES.image),
    MEDIA_VIDEO_MAX_BYTES: bytes().default(media.MAX_BYTES.video),
    MEDIA_COURSE_QUOTA_BYTES: bytes().default(media.COURSE_QUOTA_BYTES),
    // Uploads this pod receives at once, and one user of them (each holds a staging file): past them, 429.
    MEDIA_UPLOADS_PER_POD: z.coerce.number().int().positive().default(8),
    MEDIA_UPLOADS_PER_USER: z.coerce.number().int().positive().default(2),
    // `cloudinary://<api key>:<api secret>@<cloud name>`, for MEDIA_PROVIDER=cloudinary.
    CLOUDINARY_URL: z.string().optional(),
    CLOUDINARY_UPLOAD_PREFIX: z.url().default('https://api.cloudinary.com'),
    CLOUDINARY_FOLDER: z
      .string()
      .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/)
      .default('testmancer'),
    CLOUDINARY_TIMEOUT_MS: positiveMs().default(60_000),
    // How long the fields of a direct upload open Cloudinary: at most an hour, Cloudinary's own limit.
    CLOUDINARY_DIRECT_UPLOAD_WINDOW_MS: positiveMs()
      .max(60 * 60 * 1000)
      .default(60 * 60 * 1000),
    // How long a signed URL of an asset of a course not published opens its bytes (and Cloudinary's download URL behind it).
    MEDIA_SIGNED_URL_LIFETIME_MS: positiveMs().default(10 * 60_000),
    // How often uploads and deletes a dead process left unfinished are looked for, and after how long they count as left.
    MEDIA_REPAIR_INTERVAL_MS: positiveMs().default(60_000),
    MEDIA_UNFINISHED_AFTER_MS: positiveMs().default(60 * 60 * 1000),
  },
  indexes: [...assetIndexes, ...directUploadIndexes],
  async register({ db, config, logger, metrics, connect, identity }) {
    const mediaMetrics = createMediaMetrics(metrics);
    // Ids appear in URLs: random, not an ObjectId's time and counter, so that one asset's id tells nothing of another's.
    const newId = () => randomBytes(12).toString('hex');
    const signedUrls = new SignedUrls(identity, config.MEDIA_SIGNED_URL_LIFETIME_MS);
    const localDir = resolve(config.MEDIA_LOCAL_DIR);
    const provider: MediaProvider =
      config.MEDIA_PROVIDER === 'cloudinary'
        ? new CloudinaryProvider(
            cloudinaryOptionsFromUrl(config.CLOUDINARY_URL ?? '', {
              uploadPrefix: config.CLOUDINARY_UPLOAD_PREFIX,
              folder: config.CLOUDINARY_FOLDER,
              publicBaseUrl: config.MEDIA_PUBLIC_BASE_URL,
              timeoutMs: config.CLOUDINARY_TIMEOUT_MS,
              directUploadWindowMs: config.CLOUDINARY_DIRECT_UPLOAD_WINDOW_MS,
            }),
          )
        : new LocalProvider({ directory: localDir, publicBaseUrl: config.MEDIA_PUBLIC_BASE_URL });
    const staging = new DiskStagingArea(config.MEDIA_STAGING_DIR ? resolve(config.MEDIA_STAGING_DIR) : join(localDir, '.staging'));
    const content = connect(contentV1.ContentServiceService, config.CONTENT_ADDR, 'content', config.CONTENT_DEADLINE_MS);
    const courses = new ContentCourses(content);
    const store = new MongoAssetStore(db);
    const limits = {
      maxBytes: { image: config.MEDIA_IMAGE_MAX_BYTES, video: config.MEDIA_VIDEO_MAX_BYTES },
      courseQuotaBytes: config.MEDIA_COURSE_QUOTA_BYTES,
    };
    const assets = new Assets({ assets: store, provider, courses, signedUrls, metrics: mediaMetrics, logger, newId });
    const directUploadStore = new MongoDirectUploadStore(db);
    const directUploads = new DirectUploads({
      assets: store,
      directUploads: directUploadStore,
      provider,
      courses,
      limits,
      metrics: mediaMetrics,
      logger,
      newId,
    });
    const slots = new UploadSlots(config.MEDIA_UPLOADS_PER_POD, config.MEDIA_UPLOADS_PER_USER);
    const uploads = new Uploads({ assets: store, staging, provider, courses, limits, slots, metrics: mediaMetrics, logger, newId });
    const repair = new Repair({
      assets: store,
      directUploads: directUploadStore,
      provider,
      staging,
      courses,
      removal: assets,
      metrics: mediaMetrics,
      logger,
      unfinishedAfterMs: config.MEDIA_UNFINISHED_AFTER_MS,
    });
    const runRepair = () =>
      repair.run().then(
        (count) => count > 0 && logger.info({ count }, 'media repair finished what was left unfinished'),
        (err: unknown) => logger.warn({ err }, 'media repair failed; it runs again later'),
      );
    let running = runRepair();
    const timer = setInterval(() => {
      running = running.then(runRepair);
    }, config.MEDIA_REPAIR_INTERVAL_MS);
    logger.info({ provider: provider.name }, 'media provider chosen');
    return {
      services: [
        mediaService({ uploads, assets, directUploads, delivery: new Delivery(signedUrls, provider), providerName: provider.name }),
      ],
      async stop() {
        clearInterval(timer);
        await running;
        content.close();
      },
    };
  },
}).catch(exitOnStartupFailure);
