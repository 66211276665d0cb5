import { Typography } from '@mantine/core';
import ReactMarkdown from 'react-markdown';

/** Authors' markdown, rendered without raw HTML (react-markdown never injects it). */
export function Markdown({ children }: { children: string }) {
  return (
    <Typography>
      <ReactMarkdown>{children}</ReactMarkdown>
    </Typography>
  );
}
