import { AppShell, Badge, Burger, Button, Group, NavLink, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { NavLink as RouterLink, useLocation } from 'react-router';
import { useSession } from './session';

export interface NavItem {
  to: string;
  label: string;
}

/** Which flags are on for this user, in words. Filled in dark shades: Mantine's light badges fall below 4.5:1 contrast. */
export function FlagBadges() {
  const { flags } = useSession().session;
  return (
    <Group gap="xs" aria-label="Features for you">
      <Badge variant="filled" color={flags.STRUCTURED_COURSES_ENABLED ? 'teal.9' : 'gray.8'}>
        {flags.STRUCTURED_COURSES_ENABLED ? 'Structured courses' : 'Legacy view'}
      </Badge>
      <Badge variant="filled" color={flags.PAGE_QUIZZES_ENABLED ? 'teal.9' : 'gray.8'}>
        {flags.PAGE_QUIZZES_ENABLED ? 'Page quizzes on' : 'Page quizzes off'}
      </Badge>
      <Badge variant="filled" color="blue.9">
        {flags.USE_MODULES_TERMINOLOGY ? 'Terms: modules' : 'Terms: units'}
      </Badge>
    </Group>
  );
}

/**
 * The frame of every screen: a header with the user and the flags, a navigation that folds into a menu on a phone.
 * The product name is not a heading, so that each screen's headings start at its own h1.
 */
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
            <Text fw={700} size="lg" component="p">
              {product}
            </Text>
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
              // The light variant's active text falls below 4.5:1 contrast.
              variant="filled"
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
