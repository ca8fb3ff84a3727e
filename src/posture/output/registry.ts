import { renderPostureJson } from './json.js';
import type { PostureReport } from './report.js';
import { renderPostureSarif } from './sarif.js';
import { renderPostureTable } from './table.js';

export const POSTURE_FORMATS = ['table', 'json', 'sarif'] as const;
export type PostureFormat = (typeof POSTURE_FORMATS)[number];
export const isPostureFormat = (s: string): s is PostureFormat => (POSTURE_FORMATS as readonly string[]).includes(s);

export function renderPostureReport(report: PostureReport, format: PostureFormat, options: { color?: boolean; toolVersion?: string } = {}): string {
  switch (format) {
    case 'table':
      return renderPostureTable(report, options);
    case 'json':
      return renderPostureJson(report);
    case 'sarif':
      return renderPostureSarif(report, options);
  }
}
