import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { api, call, ifMatch, type Schemas } from '../../shared/api/client';
import { ErrorAlert } from '../../shared/Problem';
import { structured } from '../structure';

type Action = 'publish' | 'unpublish' | 'archive';

/** Publishing, taking back to draft and archiving; archiving asks first, since students lose the course. */
export function CourseActions({ course, onChanged }: { course: Schemas['Course']; onChanged: (course: Schemas['Course']) => void }) {
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState<Action>();
  const [confirming, setConfirming] = useState(false);
  const options = { params: { path: { courseId: course.id } }, headers: ifMatch(course.version) };

  const run = (action: Action) => {
    setPending(action);
    setError(undefined);
    const request =
      action === 'publish'
        ? api.POST('/api/courses/{courseId}/publish', options)
        : action === 'unpublish'
          ? api.POST('/api/courses/{courseId}/unpublish', options)
          : api.DELETE('/api/courses/{courseId}', options);
    call(request)
      .then((answer) => {
        setConfirming(false);
        onChanged(structured(answer));
      }, setError)
      .finally(() => setPending(undefined));
  };

  const archived = course.status === 'archived';
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="course-publishing">
      <Stack>
        <Title order={2} size="h3" id="course-publishing">
          Publishing
        </Title>
        <Text>
          {course.status === 'published'
            ? 'Students can see this course.'
            : archived
              ? 'This course is archived: nobody can change it, and students do not see it.'
              : 'This course is a draft: students do not see it yet.'}
        </Text>
        {!archived && (
          <Group wrap="wrap">
            {course.status === 'draft' ? (
              <Button onClick={() => run('publish')} loading={pending === 'publish'}>
                Publish
              </Button>
            ) : (
              <Button variant="default" onClick={() => run('unpublish')} loading={pending === 'unpublish'}>
                Unpublish
              </Button>
            )}
            {!confirming && (
              <Button variant="outline" color="red.9" onClick={() => setConfirming(true)}>
                Archive course
              </Button>
            )}
          </Group>
        )}
        {confirming && (
          <Stack gap="xs" role="group" aria-label="Confirm archiving">
            <Text>Archive this course? Students will no longer see it, and it cannot be changed afterwards.</Text>
            <Group>
              <Button color="red.9" onClick={() => run('archive')} loading={pending === 'archive'}>
                Yes, archive
              </Button>
              <Button variant="default" onClick={() => setConfirming(false)}>
                Keep it
              </Button>
            </Group>
          </Stack>
        )}
        <ErrorAlert error={error} />
      </Stack>
    </Paper>
  );
}
