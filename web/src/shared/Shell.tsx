import { Badge, Burger, Button, Group, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Suspense, useState, type ReactNode } from 'react';
import { NavLink } from 'react-router';
import { HelpMenu } from './help/HelpMenu';
import type { WhatsNewComponent } from './help/lazyWhatsNew';
import { rememberDismissed, wasDismissed, type Interface } from './help/memory';
import classes from './Shell.module.css';
import { useSession } from './session';

/** What the Help menu offers in an interface. */
export interface Help {
  /** The interface, for remembering who dismissed its what's-new notice. */
  app: Interface;
  /** The guide's name in the menu; the guide itself is the interface's /guide screen. */
  guide: string;
  /** The notice, from lazyWhatsNew: its words are fetched only for someone who is shown it. */
  WhatsNew: WhatsNewComponent;
}

/**
 * The what's-new notice for a user with structured courses on (by the flag or
 * by a rollout percentage: the gateway's answer is per user), until they
 * dismiss it; the Help menu brings it back.
 */
function useWhatsNew(help: Help) {
  const { session } = useSession();
  const structured = session.flags.STRUCTURED_COURSES_ENABLED;
  const [shown, setShown] = useState(() => structured && !wasDismissed(help.app, session.userId));
  const dismiss = () => {
    rememberDismissed(help.app, session.userId);
    setShown(false);
  };
  return {
    notice: shown ? (
      <Suspense fallback={null}>
        <help.WhatsNew onDismiss={dismiss} />
      </Suspense>
    ) : null,
    reopen: structured ? () => setShown(true) : undefined,
  };
}

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
 * The product name is not a heading, so that each screen's headings start at its own h1. Plain elements and CSS
 * (Shell.module.css) rather than Mantine's AppShell, whose scroll locking and transitions weighed a tenth of the
 * first load.
 */
export function Shell({ product, nav, help, children }: { product: string; nav: readonly NavItem[]; help: Help; children: ReactNode }) {
  const [opened, navigation] = useDisclosure();
  const { session, signOut } = useSession();
  const whatsNew = useWhatsNew(help);
  return (
    <div className={classes.frame}>
      <header className={classes.header}>
        <div className={classes.brand}>
          <Burger
            className={classes.menu}
            opened={opened}
            onClick={navigation.toggle}
            size="sm"
            aria-label="Menu"
            aria-expanded={opened}
            aria-controls="main-navigation"
          />
          <Text fw={700} size="lg" component="p">
            {product}
          </Text>
        </div>
        <div className={classes.account}>
          <Text size="sm" className={classes.role}>
            Signed in as {session.role}
          </Text>
          <HelpMenu guide={help.guide} onWhatsNew={whatsNew.reopen} />
          <Button variant="default" size="xs" onClick={signOut}>
            Sign out
          </Button>
        </div>
      </header>
      <nav id="main-navigation" aria-label="Main" className={classes.nav} data-opened={opened || undefined}>
        {nav.map((item) => (
          // aria-current="page" on the screen's own entry; "/" only on itself, the others on their screens below too.
          <NavLink key={item.to} to={item.to} end={item.to === '/'} className={classes.link} onClick={navigation.close}>
            {item.label}
          </NavLink>
        ))}
        <Stack className={classes.features} gap="xs">
          <VisuallyHidden>Features</VisuallyHidden>
          <FlagBadges />
        </Stack>
      </nav>
      <main className={classes.main}>
        {whatsNew.notice}
        {children}
      </main>
    </div>
  );
}
