import { Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, call, ifMatch, type Schemas } from '../../shared/api/client';
import { ApiError } from '../../shared/api/errors';
import { ErrorAlert } from '../../shared/Problem';
import { useSession } from '../../shared/session';
import { useTerms } from '../../shared/terms';
import { Loaded } from '../Loaded';
import { loadUnit } from '../units/UnitScreen';
import { PAGE_ARCHIVE_CONSEQUENCE } from '../units/PageRow';
import { useInScope } from '../scope';
import { useResource } from '../../shared/useResource';
import { BlockEditor } from './BlockEditor';
import { BLOCK_LABELS, blockOf, draftsOf, emptyBlock, problemOf, problemsOf, type BlockType, type DraftBlock } from './drafts';
import { ConfirmArchive } from '../ConfirmArchive';
import { Trail } from '../Trail';

const BLOCK_TYPES = Object.keys(BLOCK_LABELS) as BlockType[];

interface PageContext {
  course: Schemas['Course'];
  unit: Schemas['UnitDetail'];
  page: Schemas['Page'] | undefined;
}

function PageEditor({ course, unit, page: stored }: PageContext) {
  const navigate = useNavigate();
  const { flags } = useSession().session;
  const { unit: term } = useTerms();
  const [page, setPage] = useState(stored);
  const [title, setTitle] = useState(stored?.title ?? '');
  const [blocks, setBlocks] = useState<DraftBlock[]>(() => (stored ? draftsOf(stored) : [emptyBlock('markdown')]));
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState(false);
  // A page just created opens at its own address saying so (the create navigates here with `created`).
  const created = (useLocation().state as { created?: boolean } | null)?.created === true;
  const [saved, setSaved] = useState(created);
  // Set by a save refused for what the blocks lack: from then on each block shows its problem on its field.
  const [showProblems, setShowProblems] = useState(false);
  const [confirmingArchive, setConfirmingArchive] = useState(false);
  const [archiveError, setArchiveError] = useState<unknown>();
  const unitPath = `/courses/${course.id}/units/${unit.id}`;
  const fields = error instanceof ApiError ? error.fieldErrors() : {};

  const edit = (next: DraftBlock[]) => {
    setSaved(false);
    setBlocks(next);
  };
  const move = (index: number, offset: -1 | 1) => {
    const next = [...blocks];
    const [moved] = next.splice(index, 1);
    if (moved) next.splice(index + offset, 0, moved);
    edit(next);
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    const problems = problemsOf(blocks);
    if (problems.length) {
      setShowProblems(true);
      setError(new Error(problems.join('\n')));
      return;
    }
    setPending(true);
    setError(undefined);
    const body = { title, blocks: blocks.map(blockOf) };
    const request = page
      ? api.PATCH('/api/courses/{courseId}/units/{unitId}/pages/{pageOrder}', {
          params: { path: { courseId: course.id, unitId: unit.id, pageOrder: page.pageOrder } },
          headers: ifMatch(page.version),
          body,
        })
      : api.POST('/api/courses/{courseId}/units/{unitId}/pages', { params: { path: { courseId: course.id, unitId: unit.id } }, body });
    call(request).then(
      (answer) => {
        setPending(false);
        setSaved(true);
        setPage(answer);
        if (!page) void navigate(`${unitPath}/pages/${String(answer.pageOrder)}`, { replace: true, state: { created: true } });
      },
      (failure: unknown) => {
        setPending(false);
        setError(failure);
      },
    );
  };

  const archive = () => {
    if (!page) return;
    setPending(true);
    setArchiveError(undefined);
    call(
      api.DELETE('/api/courses/{courseId}/units/{unitId}/pages/{pageOrder}', {
        params: { path: { courseId: course.id, unitId: unit.id, pageOrder: page.pageOrder } },
        headers: ifMatch(page.version),
      }),
    ).then(
      () => void navigate(unitPath),
      (failure: unknown) => {
        setPending(false);
        setArchiveError(failure);
      },
    );
  };

  return (
    <form onSubmit={save}>
      <Stack maw={860}>
        <Title order={1}>{page ? `Edit page: ${page.title}` : 'New page'}</Title>
        <TextInput
          label="Page title"
          required
          value={title}
          error={fields.title}
          onChange={(event) => {
            setSaved(false);
            setTitle(event.currentTarget.value);
          }}
        />
        <section aria-labelledby="page-blocks">
          <Title order={2} size="h3" id="page-blocks" mb="xs">
            Blocks
          </Title>
          {blocks.length === 0 && <Text mb="xs">This page has no blocks yet.</Text>}
          <Stack component="ol" gap="sm" p={0} m={0} style={{ listStyle: 'none' }} aria-label="Blocks in order">
            {blocks.map((block, index) => (
              <BlockEditor
                key={block.key}
                courseId={course.id}
                block={block}
                number={index + 1}
                count={blocks.length}
                problem={showProblems ? problemOf(block) : undefined}
                onChange={(changed) => edit(blocks.map((candidate) => (candidate.key === block.key ? changed : candidate)))}
                onMove={(offset) => move(index, offset)}
                onRemove={() => edit(blocks.filter((candidate) => candidate.key !== block.key))}
              />
            ))}
          </Stack>
          <Paper withBorder p="sm" mt="sm">
            <Group gap="xs" wrap="wrap" role="group" aria-label="Add a block">
              {BLOCK_TYPES.map((type) => (
                <Button key={type} size="xs" variant="light" onClick={() => edit([...blocks, emptyBlock(type)])}>
                  Add {BLOCK_LABELS[type].toLowerCase()}
                </Button>
              ))}
            </Group>
          </Paper>
        </section>
        <ErrorAlert error={error} title="Could not save the page" />
        <Group wrap="wrap">
          <Button type="submit" loading={pending}>
            Save page
          </Button>
          {saved && <Text role="status">Page saved.</Text>}
          <Button variant="default" component={Link} to={unitPath}>
            Back to the {term}
          </Button>
          {page && flags.PAGE_QUIZZES_ENABLED && (
            <Button variant="default" component={Link} to={`${unitPath}/quizzes/new?page=${String(page.pageOrder)}`}>
              Add a quiz after this page
            </Button>
          )}
          {page && (
            <Button variant="outline" color="red.9" onClick={() => setConfirmingArchive(true)}>
              Archive page
            </Button>
          )}
        </Group>
        {page && (
          <ConfirmArchive
            opened={confirmingArchive}
            what="page"
            name={page.title}
            consequence={PAGE_ARCHIVE_CONSEQUENCE}
            pending={pending}
            error={archiveError}
            onConfirm={archive}
            onClose={() => {
              setArchiveError(undefined);
              setConfirmingArchive(false);
            }}
          />
        )}
      </Stack>
    </form>
  );
}

/** A page of a unit, new (`pages/new`) or stored (`pages/:pageOrder`), in the block editor. */
export function PageEditorScreen() {
  const { courseId = '', unitId = '', pageOrder = 'new' } = useParams();
  const inScope = useInScope();
  const load = useCallback(async (): Promise<PageContext> => {
    const order = Number(pageOrder);
    const [{ course, unit }, page] = await Promise.all([
      loadUnit(courseId, unitId, inScope),
      pageOrder === 'new'
        ? undefined
        : call(
            api.GET('/api/courses/{courseId}/units/{unitId}/pages/{pageOrder}', {
              params: { path: { courseId, unitId, pageOrder: order } },
            }),
          ),
    ]);
    return { course, unit, page };
  }, [courseId, unitId, pageOrder, inScope]);
  const loaded = useResource(load);
  return (
    <Loaded resource={loaded} what="page">
      {(found) => (
        <Stack>
          <Trail
            steps={[
              { label: found.course.title, to: `/courses/${found.course.id}` },
              { label: found.unit.title, to: `/courses/${found.course.id}/units/${found.unit.id}` },
            ]}
          />
          <PageEditor key={found.page?.id ?? 'new'} {...found} />
        </Stack>
      )}
    </Loaded>
  );
}
