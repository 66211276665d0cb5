import { createReadStream } from 'node:fs';
import { copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { AssetKind, Format } from '../domain/asset';
import { lastingUrl, ProviderError, type MediaProvider, type StagedFile, type StoredObject, type UploadSignature } from './provider';

/** `<two hex digits>/<asset id>.<format>`: the only shape a local provider id has. */
const PROVIDER_ID = /^[0-9a-f]{2}\/[0-9a-f]{24}\.[a-z0-9]{2,5}$/;

/** Hour-long signatures, as Cloudinary's. */
const SIGNATURE_LIFETIME_MS = 60 * 60 * 1000;

export interface LocalProviderOptions {
  /** Where the files live; the staging area should be on the same file system (a rename, not a copy). */
  readonly directory: string;
  /** What delivery URLs start with: empty for paths on the gateway (`/api/media/...`), or a CDN in front of it. */
  readonly publicBaseUrl: string;
}

/**
 * Files on local disk, served by the gateway through the media service. The
 * default, for development and single-node installs.
 */
export class LocalProvider implements MediaProvider {
  readonly name = 'local';
  readonly servesBytes = true;
  readonly receivesDirectUploads = false;

  constructor(private readonly options: LocalProviderOptions) {}

  private providerIdOf(assetId: string, format: Format): string {
    // The id's last digits (its counter) spread files over 256 folders; its first ones are a timestamp.
    return `${assetId.slice(-2)}/${assetId}.${format}`;
  }

  private pathOf(providerId: string): string {
    if (!PROVIDER_ID.test(providerId)) throw new ProviderError('read', `not a local provider id: ${providerId}`, false);
    return join(this.options.directory, providerId);
  }

  async store(file: StagedFile): Promise<StoredObject> {
    const providerId = this.providerIdOf(file.assetId, file.format);
    const target = this.pathOf(providerId);
    try {
      await mkdir(join(this.options.directory, providerId.slice(0, 2)), { recursive: true });
      await rename(file.path, target).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EXDEV') throw error;
        await copyFile(file.path, target);
      });
    } catch (error) {
      throw new ProviderError(
        'store',
        `the file could not be written to local storage (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        true,
        {
          cause: error,
        },
      );
    }
    return { providerId, url: lastingUrl(this.options.publicBaseUrl, file.assetId), renditions: [] };
  }

  async remove(asset: { assetId: string; kind: AssetKind; format: Format; providerId: string }): Promise<void> {
    const path = this.pathOf(asset.providerId || this.providerIdOf(asset.assetId, asset.format));
    await rm(path, { force: true }).catch((error: unknown) => {
      throw new ProviderError('remove', 'the file could not be removed from local storage', true, { cause: error });
    });
  }

  read(providerId: string, start: number, end: number): Readable {
    return createReadStream(this.pathOf(providerId), { start, end, highWaterMark: 256 * 1024 });
  }

  deliveryUrl(): never {
    throw new ProviderError('read', 'local assets are served by the media service', false);
  }

  received(): never {
    throw new ProviderError('inspect', 'local storage takes no direct uploads', false);
  }

  removeReceived(): never {
    throw new ProviderError('remove', 'local storage takes no direct uploads', false);
  }

  signUpload(request: { courseId: string }): UploadSignature {
    // The local provider takes uploads through the gateway: the "direct" upload is the ordinary one.
    return {
      uploadUrl: `${this.options.publicBaseUrl}/api/media`,
      fields: { courseId: request.courseId },
      expiresAt: new Date(Date.now() + SIGNATURE_LIFETIME_MS),
    };
  }
}
