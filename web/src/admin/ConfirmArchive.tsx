import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { ErrorAlert } from '../shared/Problem';

/**
 * Asks before archiving a unit or a page. The gateway's DELETE archives (nothing
 * is hard-deleted) and has no way back, so the dialog says what happens and that
 * it cannot be undone from here.
 */
export function ConfirmArchive({
  opened,
  what,
  name,
  consequence,
  pending,
  error,
  onConfirm,
  onClose,
}: {
  opened: boolean;
  /** "unit", "module", "page". */
  what: string;
  /** The title of what is archived. */
  name: string;
  /** What students and the course lose, in a sentence. */
  consequence: string;
  pending: boolean;
  error: unknown;
  onConfirm: () => void;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={`Archive the ${what} “${name}”?`}
      closeButtonProps={{ 'aria-label': 'Close without archiving' }}
    >
      <Stack>
        <Text>{consequence}</Text>
        <Text>It stays stored, but it cannot be brought back from this interface.</Text>
        <ErrorAlert error={error} title={`Could not archive the ${what}`} />
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onClose}>
            Keep it
          </Button>
          <Button color="red.9" onClick={onConfirm} loading={pending}>
            Archive {what}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
