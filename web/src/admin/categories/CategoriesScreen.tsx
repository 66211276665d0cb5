import { Button, Group, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { api, call } from '../../shared/api/client';
import { ApiError } from '../../shared/api/errors';
import { ErrorAlert } from '../../shared/Problem';
import { useSession } from '../../shared/session';
import { useAllCategories } from './useCategories';

function NewCategoryForm({ onCreated }: { onCreated: () => void }) {
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>();
  const [pending, setPending] = useState(false);
  const [created, setCreated] = useState<string>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    setError(undefined);
    setCreated(undefined);
    call(api.POST('/api/categories', { body: { name } }))
      .then((category) => {
        setCreated(category.name);
        setName('');
        onCreated();
      }, setError)
      .finally(() => setPending(false));
  };
  const fieldError = error instanceof ApiError ? error.fieldErrors().name : undefined;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="new-category">
      <form onSubmit={submit}>
        <Stack>
          <Title order={2} size="h3" id="new-category">
            New category
          </Title>
          <Group align="flex-end" wrap="wrap">
            <TextInput
              label="Category name"
              required
              value={name}
              error={fieldError}
              onChange={(event) => setName(event.currentTarget.value)}
              style={{ flex: 1, minWidth: 200 }}
            />
            <Button type="submit" loading={pending}>
              Create category
            </Button>
          </Group>
          {created && <Text role="status">Category “{created}” created.</Text>}
          <ErrorAlert error={error} title="Could not create the category" />
        </Stack>
      </form>
    </Paper>
  );
}

/** Every category; admins create them, subadmins see which ones are theirs. */
export function CategoriesScreen() {
  const { role, categoryIds } = useSession().session;
  const categories = useAllCategories();
  return (
    <Stack>
      <Title order={1}>Categories</Title>
      {role === 'admin' ? <NewCategoryForm onCreated={categories.reload} /> : <Text>Only admins create categories. Yours are marked.</Text>}
      <ErrorAlert error={categories.error} title="Could not list the categories" />
      {!categories.data && !categories.error && <Loader role="status" aria-label="Loading the categories" />}
      {categories.data && (
        <section aria-labelledby="all-categories">
          <Title order={2} size="h3" id="all-categories" mb="sm">
            All categories
          </Title>
          {categories.data.length === 0 ? (
            <Text>There are no categories yet.</Text>
          ) : (
            <Stack component="ul" aria-label="Categories" gap="xs" p={0} m={0} style={{ listStyle: 'none' }}>
              {categories.data.map((category) => (
                <Paper component="li" key={category.id} withBorder p="sm">
                  <Text>
                    {category.name}
                    {role === 'subadmin' && categoryIds.includes(category.id) ? ' (yours)' : ''}
                  </Text>
                </Paper>
              ))}
            </Stack>
          )}
        </section>
      )}
    </Stack>
  );
}
