import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import type { Advisory } from '../../core/advisory.js';
import { sharedData, skipMessage } from '../../../test/helpers/shared.js';
import type { FeedRecord } from '../types.js';
import { osvParser } from './index.js';

/**
 * The OSV parser over the public corpora in ../shared/data/osv, checked against the official
 * OSV JSON schema (read there, by path) as a differential oracle:
 *  - every record the schema rejects, the parser rejects too, or the difference is one of the
 *    documented leniencies below (each re-checked by patching it away and validating again);
 *  - every record the parser rejects, the schema rejects too, or the reason is one of the
 *    documented stricter rules.
 */
const ROOT = sharedData('osv');
const FOLDERS = ['pypa-advisory-database', 'golang-vulndb', 'rustsec-osv', 'almalinux-osv', 'ghsa-osv-export-sample', 'osv-schema-testdata', 'osv-api-querybatch'];

type Schema = {
  readonly properties: Record<string, unknown>;
  readonly $defs: { readonly prefix: { readonly pattern: string }; readonly ecosystemWithSuffix: { readonly pattern: string } };
};

/**
 * Where the parser accepts what the official schema refuses, on purpose. Each entry undoes
 * its own difference on a copy of the record; the copy must then pass the schema.
 */
const LENIENCIES: Record<string, { readonly why: string; readonly undo: (rec: Record<string, unknown>, a: Advisory, s: Schema) => boolean }> = {
  'git-commit': {
    why: 'GIT events that are not full commit hashes (PyPA has abbreviated and ".patch" ones): kept as given for the GIT matcher to resolve or ignore; refusing the record would also drop its valid ECOSYSTEM ranges',
    undo: (rec) => {
      let changed = false;
      for (const aff of arr(rec['affected'])) {
        for (const range of arr(obj(aff)['ranges'])) {
          if (obj(range)['type'] !== 'GIT') continue;
          for (const ev of arr(obj(range)['events'])) {
            for (const [k, v] of Object.entries(obj(ev))) {
              if (typeof v === 'string' && !/^(0|[a-f0-9]{40}|[a-f0-9]{64})$/.test(v)) {
                obj(ev)[k] = '0'.repeat(40);
                changed = true;
              }
            }
          }
        }
      }
      return changed;
    },
  },
  'timestamp-offset': {
    why: 'RFC 3339 timestamps with an offset other than Z: valid RFC 3339, normalised to UTC',
    undo: (rec, a) => {
      let changed = false;
      for (const [k, v] of [['modified', a.modified], ['published', a.published], ['withdrawn', a.withdrawn]] as const) {
        if (typeof rec[k] === 'string' && !/Z$/.test(rec[k]) && v) {
          rec[k] = v;
          changed = true;
        }
      }
      return changed;
    },
  },
  'id-prefix': {
    why: 'ids with a database prefix the schema does not list yet: the list grows with every new database',
    undo: (rec, _a, s) => {
      if (typeof rec['id'] !== 'string' || new RegExp(s.$defs.prefix.pattern).test(rec['id'])) return false;
      rec['id'] = `OSV-${rec['id']}`;
      return true;
    },
  },
  'ecosystem-name': {
    why: 'ecosystems the schema does not list yet: matchers skip ecosystems they do not know',
    undo: (rec, _a, s) => {
      let changed = false;
      for (const aff of arr(rec['affected'])) {
        const pkg = obj(obj(aff)['package']);
        if (typeof pkg['ecosystem'] === 'string' && !new RegExp(s.$defs.ecosystemWithSuffix.pattern).test(pkg['ecosystem'])) {
          pkg['ecosystem'] = 'npm';
          changed = true;
        }
      }
      return changed;
    },
  },
  'reference-type': {
    why: 'reference types the schema does not list yet: kept as the reference tag',
    undo: (rec, _a, s) => {
      const known = obj(obj(obj(obj(s.properties['references'])['items'])['properties'])['type'])['enum'];
      let changed = false;
      for (const ref of arr(rec['references'])) {
        if (!arr(known).includes(obj(ref)['type'])) {
          obj(ref)['type'] = 'WEB';
          changed = true;
        }
      }
      return changed;
    },
  },
  'severity-type': {
    why: 'severity types the schema does not list: not CVSS, so they stay in raw only',
    undo: (rec) => {
      let changed = false;
      for (const holder of [rec, ...arr(rec['affected']).map(obj)]) {
        const list = arr(holder['severity']);
        const kept = list.filter((s) => ['CVSS_V2', 'CVSS_V3', 'CVSS_V4', 'Ubuntu'].includes(obj(s)['type'] as string));
        if (kept.length !== list.length) {
          holder['severity'] = kept;
          changed = true;
        }
      }
      return changed;
    },
  },
  'cvss-vector-body': {
    why: 'CVSS vectors whose metrics do not match the schema pattern: kept, and src/risk/cvss leaves them unscored',
    undo: (rec, a) => {
      const canonical: Record<string, string> = {
        '2.0': 'AV:N/AC:L/Au:N/C:N/I:N/A:N',
        '3.0': 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N',
        '3.1': 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N',
        '4.0': 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N',
      };
      let changed = false;
      for (const holder of [rec, ...arr(rec['affected']).map(obj)]) {
        for (const s of arr(holder['severity']).map(obj)) {
          const entry = a.cvss.find((c) => c.vector === (typeof s['score'] === 'string' ? s['score'].trim() : ''));
          if (entry && s['score'] !== canonical[entry.version]) {
            s['score'] = canonical[entry.version];
            changed = true;
          }
        }
      }
      return changed;
    },
  },
  credits: {
    why: 'credits are not read into the model: a malformed credit does not make the advisory unusable (kept in raw)',
    undo: (rec) => {
      if (!('credits' in rec)) return false;
      delete rec['credits'];
      return true;
    },
  },
  'extra-field': {
    why: 'top-level fields the schema does not define (it says additionalProperties: false): ignored, kept in raw',
    undo: (rec, _a, s) => {
      const extra = Object.keys(rec).filter((k) => !Object.hasOwn(s.properties, k));
      for (const k of extra) delete rec[k];
      return extra.length > 0;
    },
  },
};

/** Where the parser refuses what the schema accepts, on purpose (matched against the reason). */
const STRICTER: [RegExp, string][] = [
  [/NUL character/, 'PostgreSQL text and jsonb cannot hold U+0000'],
  [/an empty (ecosystem|package name)/, 'a package without a name or ecosystem cannot be matched'],
  [/nested deeper than/, 'nesting limit against hostile input'],
  [/not an absolute URI/, 'reference URLs are checked with the same RFC 3986 rule as the CVE 5 parser, which may differ from ajv-formats at the edges'],
];

function obj(v: unknown): Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? (v as unknown[]) : [];
}

function* filesUnder(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* filesUnder(p);
    else yield p;
  }
}

function loadValue(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  return /\.ya?ml$/i.test(path) ? (parseYaml(text) as unknown) : (JSON.parse(text) as unknown);
}

function compileSchema(): { validate: ValidateFunction; schema: Schema } {
  const schema = JSON.parse(readFileSync(join(ROOT!, 'schema', 'osv-schema.json'), 'utf8')) as Schema & { $schema: string };
  assert.match(schema.$schema, /2020-12/, 'the OSV schema is draft 2020-12, hence Ajv2020');
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormatsModule.default(ajv);
  return { validate: ajv.compile(schema), schema };
}

interface FolderResult {
  files: number;
  advisories: number;
  invalid: { path: string; reason: string }[];
  notRecords: string[];
  schemaRejects: number;
  explained: Map<string, string[]>;
  unexplained: string[];
  stricter: Map<string, string[]>;
  unexpectedStricter: string[];
  byPath: Map<string, FeedRecord>;
}

function runFolder(dir: string, oracle: { validate: ValidateFunction; schema: Schema }): FolderResult {
  const res: FolderResult = {
    files: 0, advisories: 0, invalid: [], notRecords: [], schemaRejects: 0,
    explained: new Map(), unexplained: [], stricter: new Map(), unexpectedStricter: [], byPath: new Map(),
  };
  for (const path of filesUnder(dir)) {
    const rel = relative(ROOT!, path);
    const bytes = readFileSync(path);
    if (!osvParser.sniff(basename(path), bytes.subarray(0, 4096).toString('utf8'))) {
      res.notRecords.push(rel);
      continue;
    }
    res.files++;
    const records = [...osvParser.parse({ origin: { file: rel }, name: basename(path), bytes })];
    assert.equal(records.length, 1, `${rel}: one record per file`);
    const rec = records[0]!;
    res.byPath.set(rel, rec);
    const value = rec.kind === 'advisory' ? rec.advisory.raw : loadValue(path);
    const schemaOk = oracle.validate(value);
    if (!schemaOk) res.schemaRejects++;
    if (rec.kind === 'advisory') {
      res.advisories++;
      if (schemaOk) continue;
      const copy = structuredClone(value) as Record<string, unknown>;
      const used = Object.entries(LENIENCIES).filter(([, l]) => l.undo(copy, rec.advisory, oracle.schema)).map(([k]) => k);
      if (used.length > 0 && oracle.validate(copy)) for (const k of used) res.explained.set(k, [...(res.explained.get(k) ?? []), rel]);
      else res.unexplained.push(`${rel}: ${oracle.validate.errors?.slice(0, 3).map((e) => `${e.instancePath} ${e.message ?? ''}`).join('; ')}`);
    } else if (rec.kind === 'invalid') {
      res.invalid.push({ path: rel, reason: rec.reason });
      if (!schemaOk) continue;
      const rule = STRICTER.find(([re]) => re.test(rec.reason));
      if (rule) res.stricter.set(rule[1], [...(res.stricter.get(rule[1]) ?? []), rel]);
      else res.unexpectedStricter.push(`${rel}: ${rec.reason}`);
    }
  }
  return res;
}

function advisoryAt(t: TestContext, results: Map<string, FolderResult>, rel: string): Advisory | undefined {
  const folder = rel.split('/')[0]!;
  const rec = results.get(folder)?.byPath.get(rel);
  if (!rec) {
    t.diagnostic(`${rel} is not in this data set: its exact-field check is skipped`);
    return undefined;
  }
  assert.equal(rec.kind, 'advisory', rel);
  return rec.advisory;
}

test('OSV corpora: parse every record, differential check against the official schema', { skip: ROOT ? false : skipMessage('osv/') }, (t) => {
  const schemaPath = join(ROOT!, 'schema', 'osv-schema.json');
  if (!existsSync(schemaPath)) {
    t.skip(skipMessage('osv/schema/osv-schema.json'));
    return;
  }
  const oracle = compileSchema();
  const results = new Map<string, FolderResult>();
  for (const folder of FOLDERS) {
    const dir = join(ROOT!, folder);
    if (!existsSync(dir)) {
      t.diagnostic(`${folder}: absent, skipped`);
      continue;
    }
    const r = runFolder(dir, oracle);
    results.set(folder, r);
    t.diagnostic(`${folder}: ${r.files} records (${r.advisories} advisories, ${r.invalid.length} invalid), ${r.notRecords.length} other files, schema rejects ${r.schemaRejects}`);
    for (const { path, reason } of r.invalid) t.diagnostic(`  invalid ${path}: ${reason}`);
    for (const [k, paths] of r.explained) t.diagnostic(`  accepted, schema rejects [${k}] ×${paths.length}: ${paths.slice(0, 5).join(', ')} — ${LENIENCIES[k]!.why}`);
    for (const [why, paths] of r.stricter) t.diagnostic(`  rejected, schema accepts ×${paths.length}: ${paths.slice(0, 5).join(', ')} — ${why}`);
    assert.deepEqual(r.unexplained, [], `${folder}: accepted records the schema rejects, with no documented leniency`);
    assert.deepEqual(r.unexpectedStricter, [], `${folder}: records rejected that the schema accepts, with no documented rule`);
    assert.equal(r.advisories + r.invalid.length, r.files, `${folder}: every record file gives an advisory or an invalid record`);
    // Files the sniff turned away must not be OSV records (nothing real is dropped unseen).
    for (const rel of r.notRecords) {
      if (!/\.(json|ya?ml)$/i.test(rel)) continue;
      const v = obj(loadValue(join(ROOT!, rel)));
      assert.ok(!(typeof v['id'] === 'string' && typeof v['modified'] === 'string'), `${rel} looks like an OSV record but was not recognised`);
    }
  }
  const totals = [...results.values()].reduce((s, r) => ({ files: s.files + r.files, adv: s.adv + r.advisories, bad: s.bad + r.invalid.length }), { files: 0, adv: 0, bad: 0 });
  t.diagnostic(`total: ${totals.files} records, ${totals.adv} advisories, ${totals.bad} invalid`);

  // Non-record files are turned away by sniff and never fed to the parser.
  const querybatch = results.get('osv-api-querybatch');
  if (querybatch) assert.equal(querybatch.files, 0, 'the querybatch ground-truth file is not an OSV record');
  for (const [folder, r] of results) {
    for (const rel of r.notRecords) {
      assert.ok(/(^|\/)(LICENSE|NOTICES)$|querybatch-results|ghsa-to-osv\/(?!.*\.osv\.json$).*\.json$/.test(rel), `${folder}: ${rel} was not recognised as OSV`);
    }
  }

  // osv-linter samples: the schema-level fault must be refused; the rest are linter findings
  // that need registries or judgement (package exists? version exists? affected empty?
  // distinct events?), which a parser cannot and should not decide.
  const linter = results.get('osv-schema-testdata');
  if (linter) {
    const nointro = linter.byPath.get('osv-schema-testdata/osv-linter/nointroduced-CVE-2023-41045.json');
    if (nointro) {
      assert.equal(nointro.kind, 'invalid');
      assert.ok(nointro.kind === 'invalid' && /needs an 'introduced' event/.test(nointro.reason), 'refused for the missing introduced event');
      assert.equal(nointro.kind === 'invalid' && nointro.recordId, 'CVE-2023-41045');
    }
    const linterOnly: Record<string, string> = {
      'GHSA-9v2f-6vcg-3hgv.json': 'a version (4.36.-1) that PyPI does not have',
      'nopackage-GHSA-9v2f-6vcg-3hgv.json': 'a package (Gradi0) that PyPI does not have',
      'nondistinct-CVE-2018-5407.json': 'a GIT range introduced and fixed at the same commit',
      'SUSE-FU-2022_0444-1.json': 'an empty affected list',
      'RHSA-2022_0216.json': 'no affected list',
      'PYSEC-2023-74.json': 'versions checked against PyPI',
    };
    for (const [name, finding] of Object.entries(linterOnly)) {
      const rec = linter.byPath.get(`osv-schema-testdata/osv-linter/${name}`);
      if (!rec) continue;
      assert.equal(rec.kind, 'advisory', `${name}: schema-valid, accepted (linter finding: ${finding})`);
    }
  }

  // Exact fields for a few known records (skipped, saying so, when the data set differs).
  const pysec = advisoryAt(t, results, 'pypa-advisory-database/vulns/lxdui/PYSEC-2021-342.yaml');
  if (pysec) {
    assert.deepEqual(
      { id: pysec.id, aliases: pysec.aliases, modified: pysec.modified, published: pysec.published, title: pysec.title, cvss: pysec.cvss },
      { id: 'PYSEC-2021-342', aliases: ['CVE-2021-40494'], modified: '2021-09-26T23:32:34.569Z', published: '2021-09-03T02:15:00.000Z', title: null, cvss: [] },
    );
    assert.deepEqual(pysec.affectedPackages, [
      { ecosystem: 'PyPI', name: 'lxdui', purl: 'pkg:pypi/lxdui', ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }], versions: ['1.0.1'] },
    ]);
    assert.deepEqual(pysec.references, [{ url: 'https://github.com/AdaptiveScale/lxdui/pull/353', tags: ['WEB'] }]);
  }
  const go = advisoryAt(t, results, 'golang-vulndb/data/osv/GO-2026-4772.json');
  if (go) {
    assert.deepEqual(go.aliases, ['CVE-2026-33816', 'GHSA-9jj7-4m8r-rfcm']);
    assert.equal(go.modified, '0001-01-01T00:00:00.000Z', "the repository copy carries Go's zero time");
    assert.equal(go.title, 'CVE-2026-33816 in github.com/jackc/pgx');
    assert.deepEqual(go.affectedPackages, [
      {
        ecosystem: 'Go',
        name: 'github.com/jackc/pgx/v5',
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '5.9.0' }] }],
        versions: [],
        ecosystemSpecific: { imports: [{ path: 'github.com/jackc/pgx/v5/pgproto3', symbols: ['Backend.Receive', 'FunctionCall.Decode'] }] },
      },
    ]);
  }
  const rust = advisoryAt(t, results, 'rustsec-osv/crates/RUSTSEC-2018-0010.json');
  if (rust) {
    assert.deepEqual(rust.aliases, ['CVE-2018-20997', 'GHSA-xjxc-vfw2-cg96']);
    assert.deepEqual(rust.related, []);
    assert.deepEqual(rust.cvss, [{ version: '3.0', vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: null, severity: 'unknown', source: 'osv:RUSTSEC' }]);
    assert.deepEqual(rust.affectedPackages.map((p) => [p.ecosystem, p.name, p.purl, p.ranges]), [
      ['crates.io', 'openssl', 'pkg:cargo/openssl', [{ type: 'SEMVER', events: [{ introduced: '0.10.8' }, { fixed: '0.10.9' }] }]],
    ]);
    assert.equal(rust.references.length, 3);
  }
  const alma = advisoryAt(t, results, 'almalinux-osv/advisories/almalinux9/ALSA-2023:5224.json');
  if (alma) {
    assert.equal(alma.title, 'Important: thunderbird security update');
    assert.deepEqual(alma.related, ['CVE-2023-4863']);
    assert.deepEqual(alma.aliases, []);
    assert.equal(alma.published, '2023-09-19T00:00:00.000Z');
    assert.deepEqual(alma.affectedPackages, [
      { ecosystem: 'AlmaLinux:9', name: 'thunderbird', ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '102.15.1-1.el9_2.alma' }] }], versions: [] },
    ]);
    assert.deepEqual(alma.references.map((r) => r.tags[0]), ['ADVISORY', 'REPORT', 'REPORT', 'ADVISORY']);
  }
  const ghsa = advisoryAt(t, results, 'ghsa-osv-export-sample/pypi/GHSA-9wx4-h78v-vm56.json');
  if (ghsa) {
    assert.deepEqual(ghsa.aliases, ['CVE-2024-35195', 'PYSEC-2026-1873']);
    assert.equal(ghsa.modified, '2026-09-10T03:50:13.740Z');
    assert.deepEqual(ghsa.cvss, [{ version: '3.1', vector: 'CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:H/I:H/A:N', score: null, severity: 'unknown', source: 'osv:GHSA' }]);
    assert.deepEqual(ghsa.affectedPackages, [
      { ecosystem: 'PyPI', name: 'requests', purl: 'pkg:pypi/requests', ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.32.0' }] }], versions: [] },
    ]);
  }
});
