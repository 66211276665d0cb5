import { api, call, ifMatch, type Schemas } from '../../shared/api/client';
import { RenameArchiveRow } from '../RenameArchiveRow';

/** What archiving a page does, for its confirmation (here and in the page editor). */
export const PAGE_ARCHIVE_CONSEQUENCE = 'Students no longer see it, and the pages after it move up one place.';

export interface PageAddress {
  courseId: string;
  unitId: string;
}

/**
 * The page now at `summary`'s place, with its version for If-Match. Pages are
 * addressed by their place in the unit: a page moved by someone else since the
 * list was loaded is refused rather than another page changed.
 */
export async function currentPage(at: PageAddress, summary: Schemas['PageSummary']): Promise<Schemas['Page']> {
  const page = await call(
    api.GET('/api/courses/{courseId}/units/{unitId}/pages/{pageOrder}', { params: { path: { ...at, pageOrder: summary.pageOrder } } }),
  );
  if (page.id !== summary.id) throw new Error('The pages of this unit changed in the meantime. Reload the screen and try again.');
  return page;
}

/** One page of the unit: a link to its editor, renaming in place, archiving after a confirmation. */
export function PageRow({
  at,
  page,
  position,
  editorPath,
  readOnly,
  onRenamed,
  onArchived,
}: {
  at: PageAddress;
  page: Schemas['PageSummary'];
  /** Where the list shows it (before the server confirms a new order, not yet its stored place). */
  position: number;
  editorPath: string;
  readOnly: boolean;
  /** The page as renamed, and the title it had (to offer an undo). */
  onRenamed: (renamed: Schemas['Page'], previousTitle: string) => void;
  onArchived: () => void;
}) {
  const path = { ...at, pageOrder: page.pageOrder };
  return (
    <RenameArchiveRow
      title={page.title}
      to={editorPath}
      details={`Page ${String(position)}`}
      what="page"
      renameLabel={`New title of page ${String(position)}`}
      consequence={PAGE_ARCHIVE_CONSEQUENCE}
      readOnly={readOnly}
      rename={async (title) => {
        const previousTitle = page.title;
        const current = await currentPage(at, page);
        const renamed = await call(
          api.PATCH('/api/courses/{courseId}/units/{unitId}/pages/{pageOrder}', {
            params: { path },
            headers: ifMatch(current.version),
            body: { title },
          }),
        );
        onRenamed(renamed, previousTitle);
      }}
      archive={async () => {
        const current = await currentPage(at, page);
        await call(
          api.DELETE('/api/courses/{courseId}/units/{unitId}/pages/{pageOrder}', { params: { path }, headers: ifMatch(current.version) }),
        );
        onArchived();
      }}
    />
  );
}
