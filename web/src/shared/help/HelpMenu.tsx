import { Button } from '@mantine/core';
import { useState, type FocusEvent, type KeyboardEvent } from 'react';
import { Link } from 'react-router';
import classes from './HelpMenu.module.css';

/**
 * The header's Help: a disclosure button and a short list of links, plain
 * elements rather than Mantine's Menu, whose positioning library would weigh
 * on every first load for two entries. Escape, a choice, or moving the focus
 * out of it (a click elsewhere) folds it.
 */
export function HelpMenu({ guide, onWhatsNew }: { guide: string; onWhatsNew?: (() => void) | undefined }) {
  const [opened, setOpened] = useState(false);
  const close = () => setOpened(false);
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape') close();
  };
  const closeWhenFocusLeaves = (event: FocusEvent<HTMLDivElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget)) close();
  };
  return (
    <div className={classes.help} onKeyDown={closeOnEscape} onBlur={closeWhenFocusLeaves}>
      <Button variant="default" size="xs" aria-expanded={opened} aria-controls="help-menu" onClick={() => setOpened(!opened)}>
        Help
      </Button>
      {opened && (
        <ul id="help-menu" aria-label="Help" className={classes.list}>
          <li>
            <Link to="/guide" className={classes.item} onClick={close}>
              {guide}
            </Link>
          </li>
          {onWhatsNew && (
            <li>
              <button
                type="button"
                className={classes.item}
                onClick={() => {
                  close();
                  onWhatsNew();
                }}
              >
                What’s new
              </button>
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
