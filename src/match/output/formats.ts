/**
 * The `vigil scan --format` names. Kept apart from the renderers (src/match/output/registry.ts)
 * so the CLI and the server can declare them without loading the renderers at start-up.
 */
import type { ScanReport } from '../model.js';
import type { RenderOptions } from './common.js';

export const SCAN_OUTPUT_FORMAT_IDS = ['table', 'json', 'sarif', 'cyclonedx', 'openvex'] as const;
export type ScanOutputFormatId = (typeof SCAN_OUTPUT_FORMAT_IDS)[number];

export const isScanOutputFormatId = (v: unknown): v is ScanOutputFormatId => typeof v === 'string' && (SCAN_OUTPUT_FORMAT_IDS as readonly string[]).includes(v);

/** One output format: metadata and a pure renderer. */
export interface ScanOutputFormat {
  readonly id: ScanOutputFormatId;
  readonly title: string;
  /** Media type of the rendered text (for the API's Content-Type). */
  readonly mediaType: string;
  render(report: ScanReport, options?: RenderOptions): string;
}
