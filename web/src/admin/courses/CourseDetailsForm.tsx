import { Button, Group, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api, call, ifMatch, type Schemas } from '../../shared/api/client';
import { ApiError } from '../../shared/api/errors';
import { ErrorAlert } from '../../shared/Problem';
import { structured } from '../structure';

/** Title and description, saved with If-Match so that a change made meanwhile is not overwritten. */
export function CourseDetailsForm({ course, onSaved }: { course: Schemas['Course']; onSaved: (course: Schemas['Course']) => void }) {
  const [title, setTitle] = useState(course.title);
  const [description, setDescription] = useState(course.description);
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState(false);
  const [saved, setSaved] = useState(false);
  const fields = error instanceof ApiError ? error.fieldErrors() : {};
  const changed = title !== course.title || description !== course.description;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(undefined);
    setSaved(false);
    const body = { ...(title !== course.title ? { title } : {}), ...(description !== course.description ? { description } : {}) };
    call(api.PATCH('/api/courses/{courseId}', { params: { path: { courseId: course.id } }, headers: ifMatch(course.version), body }))
      .then((answer) => {
        setSaved(true);
        onSaved(structured(answer));
      }, setError)
      .finally(() => setPending(false));
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="course-details">
      <form onSubmit={submit}>
        <Stack>
          <Title order={2} size="h3" id="course-details">
            Details
          </Title>
          <TextInput
            label="Course title"
            required
            value={title}
            error={fields.title}
            onChange={(event) => setTitle(event.currentTarget.value)}
          />
          <Textarea
            label="Course description"
            autosize
            minRows={2}
            value={description}
            error={fields.description}
            onChange={(event) => setDescription(event.currentTarget.value)}
          />
          <ErrorAlert error={error} title="Could not save the details" />
          <Group>
            <Button type="submit" loading={pending} disabled={!changed}>
              Save details
            </Button>
            {saved && !changed && <Text role="status">Details saved.</Text>}
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
