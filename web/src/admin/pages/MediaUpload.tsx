import { Button, Group, Input, Progress, Stack, Text } from '@mantine/core';
import { useId, useRef, useState } from 'react';
import { uploadMedia, type UploadedAsset } from '../../shared/api/upload';
import { ErrorAlert } from '../../shared/Problem';

/** A file picker that uploads at once, with a visible progress bar and a way to cancel. */
export function MediaUpload({
  courseId,
  kind,
  label,
  problem,
  onUploaded,
}: {
  courseId: string;
  kind: 'image' | 'video';
  label: string;
  /** Why the page cannot be saved yet (no file uploaded), shown on the picker. */
  problem?: string | undefined;
  onUploaded: (asset: UploadedAsset) => void;
}) {
  const id = useId();
  const [progress, setProgress] = useState<{ name: string; fraction: number }>();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const abort = useRef<AbortController | undefined>(undefined);

  const upload = (file: File | undefined) => {
    if (!file) return;
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setError(undefined);
    setDone(undefined);
    setProgress({ name: file.name, fraction: 0 });
    uploadMedia(courseId, file, (fraction) => setProgress({ name: file.name, fraction }), controller.signal).then(
      (asset) => {
        setProgress(undefined);
        setDone(file.name);
        onUploaded(asset);
      },
      (failure: unknown) => {
        setProgress(undefined);
        if (!(failure instanceof DOMException && failure.name === 'AbortError')) setError(failure);
      },
    );
  };

  const percent = progress ? Math.round(progress.fraction * 100) : 0;
  return (
    <Stack gap="xs">
      <Input.Wrapper
        label={label}
        id={id}
        description={kind === 'image' ? 'PNG, JPEG, GIF, WebP or AVIF' : 'MP4, WebM or MOV'}
        error={problem}
      >
        <input
          id={id}
          type="file"
          accept={kind === 'image' ? 'image/*' : 'video/*'}
          // A plain input in Mantine's wrapper: it is tied to the wrapper's description and error by hand.
          aria-describedby={problem ? `${id}-description ${id}-error` : `${id}-description`}
          aria-invalid={problem ? true : undefined}
          disabled={progress !== undefined}
          onChange={(event) => {
            upload(event.currentTarget.files?.[0]);
            event.currentTarget.value = '';
          }}
          style={{ display: 'block', marginTop: 4, maxWidth: '100%' }}
        />
      </Input.Wrapper>
      {progress && (
        <Group gap="sm" wrap="nowrap">
          <Progress.Root size="lg" style={{ flex: 1 }}>
            <Progress.Section value={percent} aria-label={`Uploading ${progress.name}`} />
          </Progress.Root>
          <Text size="sm" aria-hidden="true">
            {percent}%
          </Text>
          <Button size="xs" variant="default" onClick={() => abort.current?.abort()}>
            Cancel upload
          </Button>
        </Group>
      )}
      {done && (
        <Text size="sm" role="status">
          Uploaded {done}.
        </Text>
      )}
      <ErrorAlert error={error} title="The upload did not work" />
    </Stack>
  );
}
