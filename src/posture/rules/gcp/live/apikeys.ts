/**
 * API keys and Essential Contacts as collected: VGL-GCP-125 API keys in use (CIS GCP 1.12), 126
 * without application restrictions (1.13), 127 without API restrictions (1.14), 128 older than
 * 90 days (1.15); VGL-GCP-130 Essential Contacts not configured (1.16). Deleted keys (in their
 * 30-day undelete window) are not checked.
 */
import { str } from '../../../attrs.js';
import type { PostureSeverity, Resource, Violation } from '../../../model.js';
import { violation, type Rule } from '../../../rule.js';
import { themes } from '../../shared/controls.js';
import { liveRule } from '../../shared/define.js';
import { collected, needs, type ExampleResource } from '../../shared/live.js';
import { cis } from '../lib/define.js';
import { DAY_S, dig, gcpRes, GCP, items, PROJECT_ID, PROJECT_NAME, projectRes, strings, time } from '../lib/live.js';

const keyId = (uid: string): string => `//apikeys.googleapis.com/projects/${PROJECT_ID}/locations/global/keys/${uid}`;
const DAY_MS = DAY_S * 1000;
const daysAgo = (n: number): string => new Date(Date.now() - n * DAY_MS).toISOString();

/** A collected key: restricted to one API and one referrer, 10 days old, unless `attrs` says otherwise. */
function apiKey(uid: string, attrs: Record<string, unknown> = {}): ExampleResource {
  return gcpRes(GCP.apiKey, keyId(uid), {
    name: `projects/${PROJECT_ID}/locations/global/keys/${uid}`,
    uid,
    displayName: uid,
    createTime: daysAgo(10),
    restrictions: { browserKeyRestrictions: { allowedReferrers: ['https://app.example.com/*'] }, apiTargets: [{ service: 'maps-backend.googleapis.com' }] },
    ...attrs,
  });
}

const active = (r: Resource): boolean => r.attrs['deleteTime'] === undefined || r.attrs['deleteTime'] === null;
const APP_RESTRICTIONS = ['browserKeyRestrictions', 'serverKeyRestrictions', 'androidKeyRestrictions', 'iosKeyRestrictions'];

interface KeyRow {
  readonly id: string;
  readonly cis: string;
  readonly title: string;
  readonly description: string;
  readonly severity: PostureSeverity;
  readonly remediation: string;
  readonly fails: (r: Resource) => { path: string[]; why: string } | undefined;
  readonly cli: string;
  readonly console: string;
  readonly bad: Record<string, unknown>;
  /** The key that passes (none for 1.12: any key fails). */
  readonly good?: Record<string, unknown>;
}

const ROWS: readonly KeyRow[] = [
  {
    id: 'VGL-GCP-125',
    cis: '1.12',
    title: 'API key exists in the project',
    description: 'An API key is a bearer secret sent with every request, often embedded in apps and pages where anyone can read it; Google recommends service accounts or OAuth instead wherever the API allows.',
    severity: 'low',
    remediation: 'Delete API keys that are not needed; use service accounts or OAuth credentials where the API supports them.',
    fails: () => ({ path: ['name'], why: 'an API key is in use' }),
    cli: 'gcloud services api-keys delete <key-id> --location=global',
    console: 'APIs & Services → Credentials → API keys → the key → Delete.',
    bad: {},
  },
  {
    id: 'VGL-GCP-126',
    cis: '1.13',
    title: 'API key has no application restrictions',
    description: 'Without referrer, IP address or app restrictions a leaked API key works from any website, server or app.',
    severity: 'medium',
    remediation: 'Restrict each key to the HTTP referrers, IP addresses or Android/iOS apps that use it.',
    fails: (r) => (APP_RESTRICTIONS.some((k) => dig(r.attrs, 'restrictions', k) !== undefined) ? undefined : { path: ['restrictions'], why: 'the key is usable from any referrer, address or app' }),
    cli: 'gcloud services api-keys update <key-id> --location=global --allowed-referrers="https://<site>/*"  # or --allowed-ips / --allowed-application',
    console: 'APIs & Services → Credentials → the key → Application restrictions → Websites / IP addresses / apps → Save.',
    bad: { restrictions: { apiTargets: [{ service: 'maps-backend.googleapis.com' }] } },
    good: {},
  },
  {
    id: 'VGL-GCP-127',
    cis: '1.14',
    title: 'API key has no API restrictions',
    description: 'A key not restricted to the APIs its application calls can be used against every enabled API in the project, multiplying what a leaked key exposes.',
    severity: 'medium',
    remediation: 'Restrict each key to the APIs its application needs (never the Cloud APIs as a whole).',
    fails: (r) => {
      const targets = items(dig(r.attrs, 'restrictions', 'apiTargets')).map(({ item }) => str(item['service']) ?? '');
      if (targets.length === 0) return { path: ['restrictions', 'apiTargets'], why: 'the key may call every enabled API' };
      return targets.includes('cloudapis.googleapis.com') ? { path: ['restrictions', 'apiTargets'], why: 'the key may call all Cloud APIs (cloudapis.googleapis.com)' } : undefined;
    },
    cli: 'gcloud services api-keys update <key-id> --location=global --api-target=service=<service>.googleapis.com',
    console: 'APIs & Services → Credentials → the key → API restrictions → Restrict key → the APIs it needs → Save.',
    bad: { restrictions: { browserKeyRestrictions: { allowedReferrers: ['https://app.example.com/*'] }, apiTargets: [{ service: 'cloudapis.googleapis.com' }] } },
    good: {},
  },
  {
    id: 'VGL-GCP-128',
    cis: '1.15',
    title: 'API key older than 90 days',
    description: 'API keys do not expire; a key that is never replaced stays valid in every copy that leaked over its lifetime.',
    severity: 'low',
    remediation: 'Create a new key, move its users to it and delete the old one at least every 90 days.',
    fails: (r) => {
      const created = time(r.attrs['createTime']);
      if (created === undefined) return undefined;
      const days = Math.floor((Date.now() - created) / DAY_MS);
      return days > 90 ? { path: ['createTime'], why: `the key was created ${days} days ago (more than 90)` } : undefined;
    },
    cli: 'gcloud services api-keys create --display-name=<name> --api-target=service=<service>  # move its users, then: gcloud services api-keys delete <old-key-id> --location=global',
    console: 'APIs & Services → Credentials → Create credentials → API key (with the same restrictions); switch users; delete the old key.',
    bad: { createTime: daysAgo(400) },
    good: {},
  },
];

function keyRule(row: KeyRow): Rule {
  return liveRule('gcp', {
    id: row.id,
    title: row.title,
    description: row.description,
    severity: row.severity,
    service: 'apikeys',
    frameworks: [cis(row.cis), ...themes('authn', 'keys')],
    remediation: row.remediation,
    references: ['https://cloud.google.com/docs/authentication/api-keys'],
    live: {
      kinds: [GCP.apiKey],
      check(r): Violation[] {
        if (!active(r)) return [];
        const f = row.fails(r);
        return f === undefined ? [] : [violation(f.path, f.why)];
      },
      cli: row.cli,
      console: row.console,
      bad: [collected('gcp', [apiKey('bad-key', row.bad), ...(row.good ? [apiKey('good-key', row.good)] : [])], [keyId('bad-key')])],
      good: [collected('gcp', [...(row.good ? [apiKey('good-key', row.good)] : []), apiKey('deleted-key', { ...row.bad, deleteTime: daysAgo(1) })])],
    },
  });
}

const CATEGORIES = ['LEGAL', 'SECURITY', 'SUSPENSION', 'TECHNICAL', 'TECHNICAL_INCIDENTS'];

function contacts(r: Resource): Violation[] {
  const missing = needs(r, 'essentialContacts');
  if (missing.length > 0) return missing;
  const covered = new Set(items(r.attrs['essentialContacts']).flatMap(({ item }) => strings(item['notificationCategorySubscriptions'])));
  if (covered.has('ALL')) return [];
  const absent = CATEGORIES.filter((c) => !covered.has(c));
  return absent.length > 0 ? [violation(['essentialContacts'], `no essential contact is subscribed to ${absent.join(', ')} (contacts set on the folder or organisation are not read)`)] : [];
}

const contact = (email: string, categories: string[]): Record<string, unknown> => ({ name: `projects/${PROJECT_ID}/contacts/${email.length}`, email, notificationCategorySubscriptions: categories, languageTag: 'en', validationState: 'VALID' });

export const essentialContacts = liveRule('gcp', {
  id: 'VGL-GCP-130',
  title: 'Essential Contacts are not configured',
  description: 'Google sends security incidents, suspension warnings and legal notices to Essential Contacts; without them those notices reach whoever happens to hold a basic role, or nobody.',
  severity: 'low',
  service: 'iam',
  frameworks: [cis('1.16'), ...themes('monitoring')],
  remediation: 'Add Essential Contacts (ideally at organisation level) for the Legal, Security, Suspension, Technical and Technical Incidents categories, or All.',
  references: ['https://cloud.google.com/resource-manager/docs/managing-notification-contacts'],
  live: {
    kinds: [GCP.project],
    check: contacts,
    cli: 'gcloud essential-contacts create --email=<security-team@example.com> --notification-categories=all --project=<project>  # or --organization=<org-id>',
    console: 'IAM & Admin → Essential Contacts → Add contact → All categories → Save.',
    bad: [collected('gcp', [projectRes({ essentialContacts: [] })], [PROJECT_NAME]), collected('gcp', [projectRes({ essentialContacts: [contact('ops@example.com', ['TECHNICAL'])] })], [PROJECT_NAME])],
    good: [
      collected('gcp', [projectRes({ essentialContacts: [contact('security@example.com', ['ALL'])] })]),
      collected('gcp', [projectRes({ essentialContacts: [contact('legal@example.com', ['LEGAL', 'SUSPENSION']), contact('sec@example.com', ['SECURITY', 'TECHNICAL', 'TECHNICAL_INCIDENTS'])] })]),
    ],
  },
});

export const APIKEY_LIVE_RULES: readonly Rule[] = [...ROWS.map(keyRule), essentialContacts];
