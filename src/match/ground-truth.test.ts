import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Advisory } from '../core/advisory.js';
import { normaliseVulnId } from '../core/advisory.js';
import { ecosystemBase } from '../core/ecosystem.js';
import { osvParser } from '../feeds/osv/index.js';
import type { Package } from '../inventory/model.js';
import { sharedData, skipMessage } from '../../test/helpers/shared.js';
import { AdvisoryIndex, type CandidateAdvisory } from './candidates.js';
import { evalContext } from './engine.js';
import { matchPackages } from './match.js';
import { evaluate } from './osv/affected.js';

/**
 * Ground truth from osv.dev: ../shared/data/osv/osv-api-querybatch holds package@version
 * queries with the advisory ids api.osv.dev returned. For every query whose ecosystem has data
 * in the shared OSV slice, the matcher must return the same vulnerabilities, modulo aliases
 * and advisories missing from the slice. Affected/fixed pairs: for every advisory in the
 * slice, a version listed as affected (or the `introduced` version) is flagged and the
 * `fixed` version is not.
 */
const OSV = sharedData('osv');
const FOLDERS = ['pypa-advisory-database', 'golang-vulndb', 'rustsec-osv', 'almalinux-osv', 'ghsa-osv-export-sample', 'osv-schema-testdata'];

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (/\.(json|ya?ml)$/i.test(name)) yield p;
  }
}

function loadSlice(root: string): Advisory[] {
  const out: Advisory[] = [];
  for (const folder of FOLDERS) {
    let dir: string;
    try {
      dir = join(root, folder);
      statSync(dir);
    } catch {
      continue;
    }
    for (const f of files(dir)) {
      for (const r of osvParser.parse({ origin: { file: f }, name: f, bytes: readFileSync(f) })) if (r.kind === 'advisory') out.push(r.advisory);
    }
  }
  return out;
}

const toCandidate = (a: Advisory): CandidateAdvisory => ({
  source: a.source,
  id: a.id,
  aliases: a.aliases,
  title: a.title,
  cvss: a.cvss,
  sourceSeverity: null,
  published: a.published,
  modified: a.modified,
  affected: a.affectedPackages,
});

let slice: Advisory[] | undefined;
const getSlice = () => (slice ??= loadSlice(OSV!));
const live = (a: Advisory) => !a.withdrawn && !a.rejected;

test('osv.dev querybatch ground truth: the same vulnerabilities for every query the slice covers', { skip: OSV ? false : skipMessage('osv') }, (t) => {
  const doc = JSON.parse(readFileSync(join(OSV!, 'osv-api-querybatch', 'querybatch-results.shared.json'), 'utf8')) as {
    entries: { query: { package?: { ecosystem: string; name: string }; version?: string }; vuln_ids: string[] }[];
  };
  const advisories = getSlice().filter(live);
  const index = new AdvisoryIndex();
  advisories.forEach((a) => index.add(toCandidate(a)));
  // Which ids the slice knows (own ids and aliases), and which ecosystems it has data for.
  const known = new Map<string, Set<string>>();
  for (const a of advisories) {
    const group = new Set([a.id, ...a.aliases].map(normaliseVulnId));
    for (const id of group) known.set(id, new Set([...(known.get(id) ?? []), ...group]));
  }
  const ecosystems = new Set(advisories.flatMap((a) => a.affectedPackages.map((p) => ecosystemBase(p.ecosystem))));
  const ctx = evalContext();
  // Every id osv.dev returned for any query: a record we flag that osv.dev returned nowhere
  // (nor any alias of it) was not in osv.dev when the cassettes were recorded (e.g. GO-2026
  // stdlib reports published later): it cannot be compared and is reported apart.
  const recorded = new Set(doc.entries.flatMap((e) => e.vuln_ids.map(normaliseVulnId)));
  const inRecording = (id: string) => [...(known.get(normaliseVulnId(id)) ?? [normaliseVulnId(id)])].some((x) => recorded.has(x));
  let covered = 0;
  let agreed = 0;
  const disagreements: string[] = [];
  const newer = new Set<string>();
  for (const e of doc.entries) {
    const q = e.query;
    if (!q.package || q.version === undefined || !ecosystems.has(ecosystemBase(q.package.ecosystem))) continue;
    covered++;
    const pkg: Package = { id: 'p', name: q.package.name, version: q.version, ecosystem: q.package.ecosystem, purl: `pkg:generic/${q.package.name}`, location: { file: 'q' } };
    const m = matchPackages([pkg], [], index, ctx);
    const got = new Set<string>();
    for (const pm of m.matches) for (const g of pm.groups) for (const h of g) [h.advisory.id, ...h.advisory.aliases].forEach((i) => got.add(normaliseVulnId(i)));
    const returned = e.vuln_ids.map(normaliseVulnId);
    const expected = returned.filter((id) => known.has(id));
    const missing = expected.filter((id) => !got.has(id));
    // Extra: a record we flag whose alias group holds none of the ids osv.dev returned.
    const expectedGroups = new Set([...returned, ...expected.flatMap((id) => [...(known.get(id) ?? [])])]);
    const extras = m.matches.flatMap((pm) => pm.groups.flatMap((g) => g.map((h) => h.advisory.id))).filter((id) => !expectedGroups.has(normaliseVulnId(id)));
    const extra = extras.filter(inRecording);
    extras.filter((id) => !inRecording(id)).forEach((id) => newer.add(id));
    if (missing.length === 0 && extra.length === 0) agreed++;
    else disagreements.push(`${q.package.ecosystem}/${q.package.name}@${q.version}: missing ${missing.join(' ') || '-'}; extra ${extra.join(' ') || '-'}`);
  }
  t.diagnostic(`querybatch ground truth: ${agreed}/${covered} queries agree (of ${doc.entries.length}; the rest are ecosystems without data in the slice)`);
  t.diagnostic(`  flagged but absent from the whole recording (published after it): ${[...newer].sort().join(' ') || 'none'}`);
  for (const d of disagreements) t.diagnostic(`  disagree: ${d}`);
  assert.ok(covered > 0, 'some queries are covered by the slice');
  assert.deepEqual(disagreements, []);
});

test('affected/fixed pairs: an affected (or introduced) version is flagged, the fixed version is not', { skip: OSV ? false : skipMessage('osv') }, (t) => {
  const ctx = evalContext();
  let checked = 0;
  const wrong: string[] = [];
  for (const a of getSlice().filter(live)) {
    for (const p of a.affectedPackages) {
      if (p.ecosystem === 'GIT' || !ctx.schemeFor(p.ecosystem)) continue;
      // Each affected entry on its own: a record may list a package twice (e.g. AlmaLinux module
      // streams) and another entry may well cover this entry's fixed version.
      const probe = (version: string, want: boolean, why: string) => {
        checked++;
        const flagged = evaluate(p, version, ctx).affected;
        if (flagged !== want) wrong.push(`${a.id} ${p.ecosystem}/${p.name}@${version}: ${why} but ${flagged ? 'flagged' : 'not flagged'}`);
      };
      for (const v of p.versions.slice(0, 3)) probe(v, true, 'listed as affected');
      const limits = new Set(p.ranges.flatMap((r) => r.events.flatMap((e) => [e.fixed, e.last_affected, e.limit]).filter((x): x is string => x !== undefined)));
      const starts = new Set(p.ranges.flatMap((r) => r.events.map((e) => e.introduced).filter((x): x is string => x !== undefined)));
      for (const r of p.ranges) {
        if (r.type === 'GIT') continue;
        for (const ev of r.events) {
          // A version that is both an introduced and a fixed point of the entry (`introduced: X`,
          // `fixed: X`, an empty interval as converters write "unaffected") says nothing
          // either way; osv-scanner and Vigil both sort and walk, reading it as not affected.
          if (ev.introduced !== undefined && ev.introduced !== '0' && !limits.has(ev.introduced)) probe(ev.introduced, true, 'the introduced version');
          if (ev.fixed !== undefined && !starts.has(ev.fixed) && !p.versions.includes(ev.fixed)) probe(ev.fixed, false, 'the fixed version');
        }
      }
    }
  }
  t.diagnostic(`affected/fixed pairs: ${checked - wrong.length}/${checked} agree`);
  for (const w of wrong.slice(0, 50)) t.diagnostic(`  wrong: ${w}`);
  assert.deepEqual(wrong, []);
});
