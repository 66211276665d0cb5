import { Anchor, Breadcrumbs, Text } from '@mantine/core';
import { Link } from 'react-router';

export interface Step {
  label: string;
  /** Where the step leads; the last step, the screen itself, has none. */
  to?: string;
}

/** Where a screen sits: Courses › course › unit …, each step but the last a link. */
export function Trail({ steps }: { steps: readonly Step[] }) {
  return (
    <Breadcrumbs>
      <Anchor component={Link} to="/">
        Courses
      </Anchor>
      {steps.map((step) =>
        step.to ? (
          <Anchor key={step.to} component={Link} to={step.to}>
            {step.label}
          </Anchor>
        ) : (
          <Text key="here">{step.label}</Text>
        ),
      )}
    </Breadcrumbs>
  );
}
