import type { ReactNode } from 'react';
import { Link } from 'react-router';

export interface BarItem {
  readonly key: string;
  readonly label: ReactNode;
  readonly value: number;
  /** What the bar shows beside it (the value when absent). */
  readonly display?: ReactNode;
  /** The filtered list behind the bar. */
  readonly to: string;
  readonly colour: string;
}

/**
 * A horizontal bar chart whose every bar is a link to the list behind it: one row per item
 * (label, bar scaled to `max` or the largest value, value). Plain HTML and CSS, so it is
 * keyboard-usable and read by screen readers as a list of links, and it costs the page
 * almost nothing to draw: the Overview drew its three bar charts with Recharts, ~100 ms of
 * script each on a 2-core machine (profiled in Chromium), more than the data took to load.
 * Recharts stays for what needs axes over time (the trend charts).
 */
export function BarList({ items, max, label, testId }: { items: readonly BarItem[]; max?: number; label: string; testId: string }) {
  const top = max ?? Math.max(1, ...items.map((i) => i.value));
  return (
    <ul className="bars" aria-label={label} data-testid={testId}>
      {items.map((i) => (
        <li key={i.key}>
          <Link to={i.to} className="bar-row">
            <span className="bar-label">{i.label}</span>
            <span className="bar-track" aria-hidden="true">
              <span className="bar" style={{ width: `${Math.max(0, Math.min(100, (i.value / top) * 100))}%`, background: i.colour }} />
            </span>
            <span className="bar-value">{i.display ?? i.value}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
