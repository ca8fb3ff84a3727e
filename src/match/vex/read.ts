/**
 * `readVex(text, name)`: one VEX document (OpenVEX JSON, CycloneDX VEX JSON or XML, CSAF VEX JSON) →
 * normalised statements and the problems met, detecting the format from the document itself
 * (OpenVEX by its `@context`, CycloneDX by `bomFormat`, CSAF by `document.csaf_version` /
 * category). Size and nesting are checked before parsing. Pure, never throws.
 */
import { nestingDepthExceeds } from '../../core/json-input.js';
import { parseCsafVex, isCsaf } from './csaf/parse.js';
import { isCycloneDx, parseCycloneDxVex } from './cyclonedx/parse.js';
import { cycloneDxVexXmlToJson } from './cyclonedx/xml.js';
import { DEFAULT_VEX_LIMITS, type VexFormat, type VexLimits, type VexProblem, type VexReadResult } from './model.js';
import { isOpenVex, parseOpenVex } from './openvex/parse.js';

const failed = (name: string, message: string, format: VexFormat | null = null): VexReadResult => ({
  format,
  statements: [],
  problems: [{ source: name, message, severity: 'error' }],
});

export function readVex(text: string, name: string, limits: VexLimits = DEFAULT_VEX_LIMITS): VexReadResult {
  if (text.length > limits.maxChars) return failed(name, `the document is ${text.length} characters, over the ${limits.maxChars} limit`);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const start = body.trimStart();
  if (start === '') return failed(name, 'the document is empty');
  if (start.startsWith('<')) {
    const xml = cycloneDxVexXmlToJson(body);
    if (!xml.ok) return failed(name, `CycloneDX XML not read: ${xml.message}`, 'cyclonedx');
    const r = parseCycloneDxVex(xml.doc, name, limits);
    return { format: 'cyclonedx', statements: r.statements, problems: r.problems };
  }
  const deep = nestingDepthExceeds(body, limits.maxDepth);
  if (deep !== null) return failed(name, `JSON nested deeper than ${limits.maxDepth} levels (at character ${deep})`);
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch (err) {
    return failed(name, `malformed JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const parsed = detect(doc, name, limits);
  if (!parsed) {
    return failed(name, 'not a VEX document: expected OpenVEX (@context https://openvex.dev/ns…), CycloneDX (bomFormat "CycloneDX") or CSAF (document.category "csaf_vex")');
  }
  return parsed;
}

function detect(doc: unknown, name: string, limits: VexLimits): VexReadResult | undefined {
  let format: VexFormat;
  let r: { statements: VexReadResult['statements']; problems: VexProblem[] };
  if (isOpenVex(doc)) {
    format = 'openvex';
    r = parseOpenVex(doc, name, limits);
  } else if (isCycloneDx(doc)) {
    format = 'cyclonedx';
    r = parseCycloneDxVex(doc, name, limits);
  } else if (isCsaf(doc)) {
    format = 'csaf';
    r = parseCsafVex(doc, name, limits);
  } else {
    return undefined;
  }
  return { format, statements: r.statements, problems: r.problems };
}
