import { Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../shared/Problem';

/** A change the gateway can take back (a rename, a new order), in words, with the call that takes it back. */
export interface UndoableChange {
  /** Said once the change is saved: "New order saved." */
  done: string;
  /** The Undo button's accessible name: "Undo the new order". */
  undoLabel: string;
  /** Said once it is taken back. */
  undone: string;
  undo: () => Promise<unknown>;
}

/** A new order saved, undone by putting the previous one back. */
export const newOrder = (putBack: () => Promise<unknown>): UndoableChange => ({
  done: 'New order saved.',
  undoLabel: 'Undo the new order',
  undone: 'The previous order is back.',
  undo: putBack,
});

/**
 * The status line after a change, with an Undo button until it is used. Give it
 * a new key for each change: a new change replaces the offer to undo the last one.
 */
export function UndoableStatus({ change, onUndone }: { change: UndoableChange; onUndone: () => void }) {
  const [state, setState] = useState<'done' | 'undoing' | 'undone'>('done');
  const [error, setError] = useState<unknown>();
  const undo = () => {
    setState('undoing');
    setError(undefined);
    change.undo().then(
      () => {
        setState('undone');
        onUndone();
      },
      (failure: unknown) => {
        setState('done');
        setError(failure);
      },
    );
  };
  return (
    <Stack gap="xs">
      <Group gap="sm" wrap="wrap">
        <Text role="status">{state === 'undone' ? change.undone : change.done}</Text>
        {state !== 'undone' && (
          <Button size="xs" variant="default" onClick={undo} loading={state === 'undoing'} aria-label={change.undoLabel}>
            Undo
          </Button>
        )}
      </Group>
      <ErrorAlert error={error} title="Could not undo" />
    </Stack>
  );
}
