import { lazy, type ComponentType } from 'react';

export type WhatsNewComponent = ComponentType<{ onDismiss: () => void }>;

/**
 * An interface's what's-new notice with its words (docs/guides/whats-new/<app>.md):
 * code and words in chunks fetched only when it is first shown. Made once, at
 * module level, by each interface.
 */
export function lazyWhatsNew(words: () => Promise<{ default: string }>): WhatsNewComponent {
  return lazy(async () => {
    const [{ WhatsNewNotice }, text] = await Promise.all([import('./WhatsNew'), words()]);
    return { default: ({ onDismiss }: { onDismiss: () => void }) => <WhatsNewNotice text={text.default} onDismiss={onDismiss} /> };
  });
}
