import { Paper, Text } from '@mantine/core';
import type { Schemas } from '../../shared/api/client';
import { ContentMarkdown } from '../common/ContentMarkdown';

type Callout = Extract<Schemas['Block'], { type: 'callout' }>;

/** The tone is said in words as well as in colour; dark shades keep the border visible (non-text contrast). */
const TONES: Record<Callout['tone'], { label: string; color: string }> = {
  info: { label: 'Note', color: 'blue' },
  warning: { label: 'Warning', color: 'orange' },
  success: { label: 'Well done', color: 'teal' },
};

export function CalloutBlock({ block }: { block: Callout }) {
  const tone = TONES[block.tone];
  return (
    <Paper
      component="aside"
      aria-label={tone.label}
      p="md"
      bg={`var(--mantine-color-${tone.color}-0)`}
      style={{ borderLeft: `4px solid var(--mantine-color-${tone.color}-8)` }}
    >
      <Text fw={700} mb={4}>
        {tone.label}
      </Text>
      <ContentMarkdown below={2}>{block.markdown}</ContentMarkdown>
    </Paper>
  );
}
