/**
 * The scan output formats by id: one folder per format under src/match/output/<id>/, each
 * exporting its metadata and a pure renderer. The conformance test checks this map against
 * the folders and SCAN_OUTPUT_FORMAT_IDS.
 */
import type { ScanReport } from '../model.js';
import type { RenderOptions } from './common.js';
import { cyclonedx } from './cyclonedx/index.js';
import type { ScanOutputFormat, ScanOutputFormatId } from './formats.js';
import { json } from './json/index.js';
import { openvex } from './openvex/index.js';
import { sarif } from './sarif/index.js';
import { table } from './table/index.js';

export type { ScanOutputFormat, ScanOutputFormatId } from './formats.js';
export type { RenderOptions } from './common.js';

export const SCAN_OUTPUT_FORMATS: ReadonlyMap<ScanOutputFormatId, ScanOutputFormat> = new Map<ScanOutputFormatId, ScanOutputFormat>([
  ['table', table],
  ['json', json],
  ['sarif', sarif],
  ['cyclonedx', cyclonedx],
  ['openvex', openvex],
]);

/** Renders a report in one of the formats. */
export function renderScanReport(report: ScanReport, format: ScanOutputFormatId, options?: RenderOptions): string {
  const f = SCAN_OUTPUT_FORMATS.get(format);
  if (!f) throw new Error(`unknown scan output format ${format}`);
  return f.render(report, options);
}
