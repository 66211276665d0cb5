import { Button, Group, NativeSelect, Radio, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, call } from '../../shared/api/client';
import { ApiError } from '../../shared/api/errors';
import { ErrorAlert } from '../../shared/Problem';
import { useAuthorCategories } from '../categories/useCategories';
import { UNIT_TYPES, type UnitType } from '../structure';

/** A new draft course: its title, description, category and what its parts are called. */
export function NewCourseScreen() {
  const navigate = useNavigate();
  const categories = useAuthorCategories();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [categoryId, setCategoryId] = useState('');
  const [unitType, setUnitType] = useState<UnitType>('unit');
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState(false);
  const fields = error instanceof ApiError ? error.fieldErrors() : {};

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(undefined);
    const body = { title, categoryId, structure: { unitType }, ...(description.trim() ? { description } : {}) };
    call(api.POST('/api/courses', { body })).then(
      (course) => void navigate(`/courses/${course.id}`),
      (failure: unknown) => {
        setError(failure);
        setPending(false);
      },
    );
  };

  const options = categories.data ?? [];
  return (
    <form onSubmit={submit}>
      <Stack maw={640}>
        <Title order={1}>New course</Title>
        <TextInput label="Title" required value={title} error={fields.title} onChange={(event) => setTitle(event.currentTarget.value)} />
        <Textarea
          label="Description"
          autosize
          minRows={3}
          value={description}
          error={fields.description}
          onChange={(event) => setDescription(event.currentTarget.value)}
        />
        <NativeSelect
          label="Category"
          required
          value={categoryId}
          error={fields.categoryId}
          onChange={(event) => setCategoryId(event.currentTarget.value)}
          data={[
            { value: '', label: categories.data ? 'Choose a category' : 'Loading the categories…', disabled: true },
            ...options.map((category) => ({ value: category.id, label: category.name })),
          ]}
        />
        {categories.data && options.length === 0 && <Text>You have no category to create a course in. An admin can create one.</Text>}
        <ErrorAlert error={categories.error} title="Could not list the categories" />
        <Radio.Group
          label="Structure"
          description="What the parts of this course are called"
          value={unitType}
          onChange={(value) => setUnitType(value)}
          error={fields['structure/unitType']}
        >
          <Group mt="xs" wrap="wrap">
            {UNIT_TYPES.map((type) => (
              <Radio key={type.value} value={type.value} label={type.label} />
            ))}
          </Group>
        </Radio.Group>
        <ErrorAlert error={error} title="Could not create the course" />
        <Group>
          <Button type="submit" loading={pending}>
            Create course
          </Button>
          <Button variant="default" component={Link} to="/">
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
