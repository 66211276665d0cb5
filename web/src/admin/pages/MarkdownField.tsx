import { Tabs, Text, Textarea } from '@mantine/core';
import { Markdown } from '../../shared/Markdown';

/** Markdown with a Write and a Preview tab: the preview is what students will see. */
export function MarkdownField({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  return (
    <Tabs defaultValue="write" keepMounted={false}>
      <Tabs.List aria-label={`${label}: write or preview`}>
        <Tabs.Tab value="write">Write</Tabs.Tab>
        <Tabs.Tab value="preview">Preview</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="write" pt="xs">
        <Textarea label={label} autosize minRows={4} value={value} onChange={(event) => onChange(event.currentTarget.value)} />
      </Tabs.Panel>
      <Tabs.Panel value="preview" pt="xs">
        {value.trim() ? <Markdown>{value}</Markdown> : <Text>Nothing to preview yet.</Text>}
      </Tabs.Panel>
    </Tabs>
  );
}
