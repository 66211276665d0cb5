import { content } from '@testmancer/contracts';

/**
 * The content service's state as the domain sees it. Ids are 24-hex strings
 * here; the store converts them to ObjectIds.
 *
 * Timestamps: the domain never reads the clock. `createCourse` takes `now`;
 * after that, the store sets `updatedAt` in the same write as the new version.
 */

export const { COURSE_STATUSES, UNIT_TYPES } = content;
export type CourseStatus = content.CourseStatus;
export type UnitType = content.UnitType;

export interface UnitState {
  readonly id: string;
  readonly title: string;
  /**
   * Grows by one with every change to what `/units/:unitId` shows of the unit:
   * its title, its pages (added, removed, moved), their titles, and its own
   * `order` (a unit that lands at another index, because it moved or units
   * were added, removed or moved before it, is changed too).
   */
  readonly version: number;
  /** Order of the unit's pages: `pageOrder` is the 1-based index in here. */
  readonly pageIds: readonly string[];
}

/** One document per course; the unit and page order lives only here. */
export interface CourseState {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly categoryId: string;
  readonly status: CourseStatus;
  readonly unitType: UnitType;
  /** Order of the units: a unit's `order` is its 1-based index in here. */
  readonly units: readonly UnitState[];
  readonly version: number;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface PageState {
  readonly id: string;
  readonly courseId: string;
  readonly unitId: string;
  readonly title: string;
  readonly blocks: readonly content.Block[];
  /**
   * The ETag of `/pages/:pageOrder`. Pages are addressed by position, so one
   * URL serves different pages over time (after an insert, a delete, a
   * reorder), and an ETag must never name two pages at one URL. A page ARRIVING
   * at a position (created, or moved) therefore takes a number above every
   * page version its course ever had (the course's page counter); an edit in
   * place grows it by exactly one, as the API promises, and also advances the
   * counter so that it stays at or above every version. A stale If-Match or
   * If-None-Match can then only match the page it was served for. The store
   * takes the numbers.
   */
  readonly version: number;
}

export type MediaKind = 'image' | 'video' | 'raw';

/** A smaller width of an image, for `srcset`. */
export interface MediaRendition {
  readonly width: number;
  readonly url: string;
}

/**
 * Media a page uses: an asset of the media service, or legacy media known
 * only by URL (`assetId` empty). For an asset, what the media service said of
 * it when a write of the page first used it (an asset's bytes never change);
 * pages written before assets were checked carry only the id (`url` empty).
 */
export interface MediaRef {
  readonly assetId: string;
  readonly url: string;
  readonly kind: MediaKind;
  readonly providerId: string;
  /** In pixels, when the media service knows them. */
  readonly width?: number;
  readonly height?: number;
  /** Empty when there are none (videos, providers that do not transform, legacy media). */
  readonly renditions: readonly MediaRendition[];
  /** "image/png", "video/mp4", ...; empty when unknown. */
  readonly mediaType: string;
}

/** What the media service says of one of its ready assets. */
export interface AssetFacts {
  readonly id: string;
  /** The course the asset was uploaded for: a page may use only its own course's assets. */
  readonly courseId: string;
  readonly kind: MediaKind;
  readonly url: string;
  readonly providerId: string;
  readonly width?: number;
  readonly height?: number;
  readonly renditions: readonly MediaRendition[];
  readonly mediaType: string;
}

export interface CategoryState {
  readonly id: string;
  readonly name: string;
  /** What names are unique by: see `categoryKey`. */
  readonly key: string;
}

/** Blocks are the content contract's: one definition for this service and the gateway. */
export const { BLOCK_TYPES, CALLOUT_TONES } = content;
export type Block = content.Block;
export type BlockType = content.BlockType;
export type CalloutTone = content.CalloutTone;
