import { Anchor, Button, Group, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, call, type Schemas } from '../../shared/api/client';
import { ErrorAlert } from '../../shared/Problem';
import { useTerms } from '../../shared/terms';
import { routes } from '../common/routes';
import { NotFound, WhenLoaded } from '../common/Screen';
import { useGoNext } from '../common/useGoNext';
import { useResource } from '../../shared/useResource';
import { loadCourse } from '../course/CoursePage';
import { isLegacy, partWord, unitsOf } from '../course/courseShape';
import { BlockView } from './BlockView';
import { ScreenTitle } from '../common/ScreenTitle';

interface Where {
  courseId: string;
  unitId: string;
  pageOrder: number;
}

async function loadPage({ courseId, unitId, pageOrder }: Where) {
  const [course, page] = await Promise.all([
    loadCourse(courseId),
    call(api.GET('/api/courses/{courseId}/units/{unitId}/pages/{pageOrder}', { params: { path: { courseId, unitId, pageOrder } } })),
  ]);
  return { course, page };
}

/** One page of a course, marked viewed as soon as it is shown. */
export function PageScreen() {
  const params = useParams();
  const where: Where = { courseId: params.courseId ?? '', unitId: params.unitId ?? '', pageOrder: Number(params.pageOrder) };
  const valid = Number.isInteger(where.pageOrder) && where.pageOrder >= 1;
  const loaded = useResource(() => loadPage(where), `${where.courseId}/${where.unitId}/${String(where.pageOrder)}`);
  if (!valid) return <NotFound what="page" />;
  return (
    <WhenLoaded loaded={loaded} what="page">
      {({ course, page }) => <PageView where={where} course={course} page={page} />}
    </WhenLoaded>
  );
}

function useMarkViewed({ courseId, unitId, pageOrder }: Where) {
  const [failure, setFailure] = useState<{ key: string; error: unknown }>();
  const key = `${courseId}/${unitId}/${String(pageOrder)}`;
  useEffect(() => {
    // Idempotent on the server: a second mark (StrictMode, a reload) changes nothing.
    call(api.POST('/api/courses/{courseId}/progress', { params: { path: { courseId } }, body: { unitId, pageOrder } })).catch(
      (error: unknown) => setFailure({ key, error }),
    );
  }, [courseId, unitId, pageOrder, key]);
  return failure?.key === key ? failure.error : undefined;
}

function PageView({ where, course, page }: { where: Where; course: Awaited<ReturnType<typeof loadCourse>>; page: Schemas['Page'] }) {
  const terms = useTerms();
  const markError = useMarkViewed(where);
  const next = useGoNext(where.courseId);
  const unit = isLegacy(course) ? undefined : unitsOf(course).find((candidate) => candidate.id === where.unitId);
  const word = partWord(isLegacy(course) ? undefined : course.structure?.unitType, terms);
  return (
    <Stack component="article" aria-labelledby="page-title" maw="48em">
      <Anchor component={Link} to={routes.course(where.courseId)}>
        Back to {course.title}
      </Anchor>
      {unit && (
        <Text fw={500}>
          {word.One} {unit.order}: {unit.title} · page {page.pageOrder} of {unit.pageCount}
        </Text>
      )}
      <ScreenTitle id="page-title">{page.title}</ScreenTitle>
      {page.blocks.map((block, index) => (
        <BlockView key={index} block={block} media={page.media} />
      ))}
      {page.blocks.length === 0 && <Text>This page is empty.</Text>}
      <ErrorAlert error={markError} title="Could not record that you viewed this page" />
      <ErrorAlert error={next.error} title="Could not find what comes next" />
      <Group>
        <Button
          size="md"
          onClick={() => next.goNext({ kind: 'page', unitId: where.unitId, pageOrder: where.pageOrder })}
          loading={next.pending}
        >
          Next
        </Button>
      </Group>
    </Stack>
  );
}
