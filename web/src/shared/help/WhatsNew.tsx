import { Anchor, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import { Markdown } from '../Markdown';
import { useTerms, type Terms } from '../terms';

/** A notice's Markdown: its `# ` first line is the title, the rest its body. */
export function splitNotice(markdown: string): { title: string; body: string } {
  const [first = '', ...rest] = markdown.trim().split('\n');
  return { title: first.replace(/^#\s+/, ''), body: rest.join('\n').trim() };
}

/**
 * The words name units as `{unit}` and `{units}` (`{Unit}`, `{Units}` to start
 * a sentence), said as this user's interface says them: "module(s)" with
 * USE_MODULES_TERMINOLOGY.
 */
export function inTerms(text: string, terms: Terms): string {
  return text.replace(/\{(unit|units|Unit|Units)\}/g, (_, word: keyof Terms) => terms[word]);
}

/**
 * What is new for this user, at the top of every screen until they dismiss it.
 * Its text is written with the guides (docs/guides/whats-new/). A labelled
 * region, not an alert: it waits to be read and interrupts no one.
 */
export function WhatsNewNotice({ text, onDismiss }: { text: string; onDismiss: () => void }) {
  const { title, body } = splitNotice(inTerms(text, useTerms()));
  return (
    <Paper withBorder p="md" mb="md" component="section" aria-labelledby="whats-new-title" bg="blue.0">
      <Stack gap="xs">
        <Text id="whats-new-title" fw={700}>
          What’s new: {title.replace(/^New:\s*/, '')}
        </Text>
        <Markdown>{body}</Markdown>
        <Group gap="md">
          <Anchor component={Link} to="/guide" c="blue.9" underline="always">
            Read the guide
          </Anchor>
          <Button size="xs" onClick={onDismiss} aria-label="Dismiss what’s new">
            Dismiss
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
