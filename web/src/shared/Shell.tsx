import { AppShell, Badge, Burger, Button, Group, NavLink, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { NavLink as RouterLink, useLocation } from 'react-router';
import { useSession } from './session';

export interface NavItem {
  to: string;
  label: string;
}

/** Which flags are on for this user, in words. */
export function FlagBadges() {
  const { flags } = useSession().session;
  return (
    <Group gap="xs" aria-label="Features for you">
      <Badge variant="light" color={flags.STRUCTURED_COURSES_ENABLED ? 'teal' : 'gray'}>
        {flags.STRUCTURED_COURSES_ENABLED ? 'Structured courses' : 'Legacy view'}
      </Badge>
      <Badge variant="light" color={flags.PAGE_QUIZZES_ENABLED ? 'teal' : 'gray'}>
        {flags.PAGE_QUIZZES_ENABLED ? 'Page quizzes on' : 'Page quizzes off'}
      </Badge>
      <Badge variant="light" color="blue">
        {flags.USE_MODULES_TERMINOLOGY ? 'Terms: modules' : 'Terms: units'}
      </Badge>
    </Group>
  );
}

/** The frame of every screen: a header with the user and the flags, a navigation that folds into a menu on a phone. */
export function Shell({ product, nav, children }: { product: string; nav: readonly NavItem[]; children: ReactNode }) {
  const [opened, navigation] = useDisclosure();
  const { session, signOut } = useSession();
  const location = useLocation();
  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={navigation.toggle} hiddenFrom="sm" size="sm" aria-label="Menu" />
            <Title order={2} size="h4">
              {product}
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <Text size="sm" visibleFrom="xs">
              Signed in as {session.role}
            </Text>
            <Button variant="default" size="xs" onClick={signOut}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Main">
        <Stack gap={4}>
          {nav.map((item) => (
            <NavLink
              key={item.to}
              component={RouterLink}
              to={item.to}
              label={item.label}
              active={item.to === '/' ? location.pathname === '/' : location.pathname.startsWith(item.to)}
              onClick={navigation.close}
            />
          ))}
        </Stack>
        <Stack mt="auto" gap="xs">
          <VisuallyHidden>Features</VisuallyHidden>
          <FlagBadges />
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
