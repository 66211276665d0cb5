import { useId } from 'react';
import classes from './FilterSelect.module.css';

/**
 * A filter of the course list: the browser's own select, labelled. The first
 * screen of the interface has no other input, and Mantine's input machinery
 * would weigh as much as the rest of the screen.
 */
export function FilterSelect({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: readonly { value: string; label: string }[];
  onChange: (value: string) => void;
}) {
  const id = useId();
  return (
    <div className={classes.filter}>
      <label htmlFor={id} className={classes.label}>
        {label}
      </label>
      <select id={id} className={classes.select} value={value} onChange={(event) => onChange(event.currentTarget.value)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
