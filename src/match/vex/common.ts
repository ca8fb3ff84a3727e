/** Small helpers the VEX parsers share. Pure. */
import type { z } from 'zod';
import { jsonPointer } from '../../core/json-input.js';
import { at, type VexProblem } from './model.js';

/** The first zod issue as a problem naming the file and the JSON pointer of the bad value. */
export function zodProblem(name: string, error: z.ZodError, prefix: readonly PropertyKey[], what: string): VexProblem {
  const issue = error.issues[0];
  const pointer = jsonPointer([...prefix, ...(issue?.path ?? [])]);
  return { source: at(name, pointer), message: `${what}: ${pointer || '/'}: ${issue?.message ?? 'invalid value'}`, severity: 'error' };
}

/** Distinct non-empty strings, in first-seen order. */
export function distinct(values: Iterable<string | undefined | null>): string[] {
  const seen = new Set<string>();
  for (const v of values) {
    const t = v?.trim();
    if (t) seen.add(t);
  }
  return [...seen];
}

/** A text limited to `max` characters (untrusted free text copied into findings). */
export function clip(text: string | undefined, max = 4000): string | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (!t) return undefined;
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** The later of two ISO timestamps (by Date.parse; an unparsable one counts as absent). */
export function timeOf(ts: string | undefined): number {
  if (ts === undefined) return Number.NEGATIVE_INFINITY;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}
