import { api, call, ifMatch, type Schemas } from '../../shared/api/client';
import { useTerms } from '../../shared/terms';
import { RenameArchiveRow } from '../RenameArchiveRow';

type Unit = Schemas['Unit'];

const pagesIn = (count: number) => `${String(count)} ${count === 1 ? 'page' : 'pages'}`;

/** One unit of the course: a link to it, renaming in place, archiving after a confirmation. */
export function UnitRow({
  courseId,
  unit,
  position,
  readOnly,
  onRenamed,
  onArchived,
}: {
  courseId: string;
  unit: Unit;
  position: number;
  readOnly: boolean;
  /** The unit as renamed, and the title it had (to offer an undo). */
  onRenamed: (renamed: Unit, previousTitle: string) => void;
  onArchived: () => void;
}) {
  const { unit: term, units, Unit } = useTerms();
  const path = { courseId, unitId: unit.id };
  return (
    <RenameArchiveRow
      title={unit.title}
      to={`/courses/${courseId}/units/${unit.id}`}
      details={`${Unit} ${String(position)} · ${pagesIn(unit.pageCount)}`}
      what={term}
      renameLabel={`New title of ${term} ${String(position)}`}
      consequence={`It leaves the course with its ${pagesIn(unit.pageCount)}: students no longer see them, and the ${units} after it move up one place.`}
      readOnly={readOnly}
      rename={async (title) => {
        const previousTitle = unit.title;
        const renamed = await call(
          api.PATCH('/api/courses/{courseId}/units/{unitId}', { params: { path }, headers: ifMatch(unit.version), body: { title } }),
        );
        onRenamed(renamed, previousTitle);
      }}
      archive={async () => {
        await call(api.DELETE('/api/courses/{courseId}/units/{unitId}', { params: { path }, headers: ifMatch(unit.version) }));
        onArchived();
      }}
    />
  );
}
