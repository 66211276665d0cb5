import { Button, Group, Image, NativeSelect, Paper, Stack, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from '../../shared/api/client';
import { readConfig } from '../../shared/config';
import { BLOCK_LABELS, TONES, type DraftBlock, type Tone } from './drafts';
import { MarkdownField } from './MarkdownField';
import { MediaUpload } from './MediaUpload';

/** Delivery URLs of local storage are the gateway's paths; on another origin they need its address. */
const mediaSrc = (url: string) => (url.startsWith('/') ? `${readConfig().apiOrigin}${url}` : url);

/**
 * Where an element that sends no token loads an asset from. A page keeps its
 * assets' lasting addresses, which open a course's assets only once it is
 * published; until then, the asset's metadata gives its authors a signed URL.
 */
function useDeliveryUrl(assetId: string, url: string): string {
  const lasting = url.startsWith('/api/media/') && !url.includes('signature=');
  const [signed, setSigned] = useState<string>();
  useEffect(() => {
    if (!lasting || !assetId) return undefined;
    let current = true;
    api.GET('/api/media/{assetId}', { params: { path: { assetId } } }).then(
      ({ data }) => current && data && setSigned(data.url),
      // The lasting address stays: the image shows as missing, as it would to a student.
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [assetId, lasting]);
  return mediaSrc(lasting ? (signed ?? url) : url);
}

function ImagePreview({ assetId, url, alt }: { assetId: string; url: string; alt: string }) {
  return <Image src={useDeliveryUrl(assetId, url)} alt={alt} maw={320} radius="sm" />;
}

function VideoPreview({ assetId, url, label }: { assetId: string; url: string; label: string }) {
  return <video src={useDeliveryUrl(assetId, url)} controls style={{ maxWidth: 320, width: '100%' }} aria-label={label} />;
}

function Fields({
  courseId,
  block,
  number,
  problem,
  onChange,
}: {
  courseId: string;
  block: DraftBlock;
  number: number;
  problem: string | undefined;
  onChange: (block: DraftBlock) => void;
}) {
  const of = `of block ${String(number)}`;
  switch (block.type) {
    case 'markdown':
      return <MarkdownField label={`Text ${of}`} value={block.markdown} onChange={(markdown) => onChange({ ...block, markdown })} />;
    case 'callout':
      return (
        <Stack gap="xs">
          <NativeSelect
            label={`Tone ${of}`}
            value={block.tone}
            data={TONES}
            onChange={(event) => onChange({ ...block, tone: event.currentTarget.value as Tone })}
          />
          <MarkdownField label={`Text ${of}`} value={block.markdown} onChange={(markdown) => onChange({ ...block, markdown })} />
        </Stack>
      );
    case 'embed':
      return (
        <TextInput
          label={`Embed address ${of}`}
          description="An https:// address, shown to students in a frame (YouTube and Vimeo players play in the page; other sites as a link)"
          type="url"
          value={block.url}
          error={problem}
          onChange={(event) => onChange({ ...block, url: event.currentTarget.value })}
        />
      );
    case 'image':
      return (
        <Stack gap="xs">
          <MediaUpload
            courseId={courseId}
            kind="image"
            label={`Image file ${of}`}
            problem={block.assetId ? undefined : problem}
            onUploaded={(asset) => onChange({ ...block, assetId: asset.id, preview: asset.url })}
          />
          {block.preview && <ImagePreview assetId={block.assetId} url={block.preview} alt={block.alt} />}
          <TextInput
            label={`Alternative text ${of}`}
            description="What the image shows, for those who cannot see it"
            value={block.alt}
            error={block.assetId ? problem : undefined}
            onChange={(event) => onChange({ ...block, alt: event.currentTarget.value })}
          />
        </Stack>
      );
    case 'video':
      return (
        <Stack gap="xs">
          <MediaUpload
            courseId={courseId}
            kind="video"
            label={`Video file ${of}`}
            problem={problem}
            onUploaded={(asset) => onChange({ ...block, assetId: asset.id, preview: asset.url })}
          />
          {block.preview && <VideoPreview assetId={block.assetId} url={block.preview} label={block.caption || `Video ${of}`} />}
          <TextInput
            label={`Caption ${of}`}
            value={block.caption}
            onChange={(event) => onChange({ ...block, caption: event.currentTarget.value })}
          />
        </Stack>
      );
  }
}

/** One block of the page, with its fields and the buttons to move or remove it. */
export function BlockEditor({
  courseId,
  block,
  number,
  count,
  problem,
  onChange,
  onMove,
  onRemove,
}: {
  courseId: string;
  block: DraftBlock;
  number: number;
  count: number;
  /** What must be fixed before the page can be saved, shown on the field at fault. */
  problem: string | undefined;
  onChange: (block: DraftBlock) => void;
  onMove: (offset: -1 | 1) => void;
  onRemove: () => void;
}) {
  const name = `block ${String(number)}`;
  return (
    <Paper component="li" withBorder p="sm" aria-label={`Block ${String(number)}: ${BLOCK_LABELS[block.type]}`}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Title order={3} size="h5">
            Block {number}: {BLOCK_LABELS[block.type]}
          </Title>
          <Group gap={4}>
            <Button size="xs" variant="default" disabled={number === 1} onClick={() => onMove(-1)} aria-label={`Move ${name} up`}>
              Up
            </Button>
            <Button size="xs" variant="default" disabled={number === count} onClick={() => onMove(1)} aria-label={`Move ${name} down`}>
              Down
            </Button>
            <Button size="xs" variant="outline" color="red.9" onClick={onRemove} aria-label={`Remove ${name}`}>
              Remove
            </Button>
          </Group>
        </Group>
        <Fields courseId={courseId} block={block} number={number} problem={problem} onChange={onChange} />
      </Stack>
    </Paper>
  );
}
