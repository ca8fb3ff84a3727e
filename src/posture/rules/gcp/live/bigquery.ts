/**
 * BigQuery datasets as collected (each dataset read in full): the live halves of VGL-GCP-003
 * (public, CIS GCP 7.1) and 037 (default customer-managed key, 7.3).
 */
import { str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation } from '../../../rule.js';
import { collected, needs, type ExampleResource, type LiveSpec } from '../../shared/live.js';
import { denied, dig, gcpRes, GCP, isPublicPrincipal, items, PROJECT_ID } from '../lib/live.js';

const dsId = (name: string): string => `//bigquery.googleapis.com/projects/${PROJECT_ID}/datasets/${name}`;
const OWNER = { role: 'OWNER', specialGroup: 'projectOwners' };

function dataset(name: string, attrs: Record<string, unknown>, unreadable = false): ExampleResource {
  const path = `GET /bigquery/v2/projects/${PROJECT_ID}/datasets/${name}`;
  return gcpRes(
    GCP.dataset,
    dsId(name),
    { kind: 'bigquery#dataset', id: `${PROJECT_ID}:${name}`, datasetReference: { projectId: PROJECT_ID, datasetId: name }, location: 'EU', ...(unreadable ? {} : { access: [OWNER] }), ...attrs },
    'eu',
    unreadable ? { access: denied(path), defaultEncryptionConfiguration: denied(path) } : undefined,
  );
}

function publicDataset(r: Resource): Violation[] {
  const missing = needs(r, 'access');
  if (missing.length > 0) return missing;
  return items(r.attrs['access']).flatMap(({ item, index }) =>
    ['specialGroup', 'iamMember'].flatMap((key) => {
      const who = str(item[key]);
      return who !== undefined && isPublicPrincipal(who) ? [violation(['access', index, key], `${who} has ${str(item['role']) ?? 'access'} on the dataset`)] : [];
    }),
  );
}

export const bigqueryPublicLive: LiveSpec = {
  kinds: [GCP.dataset],
  check: publicDataset,
  cli: 'bq show --format=prettyjson <project>:<dataset> > ds.json  # remove the allUsers / allAuthenticatedUsers entries from "access", then: bq update --source ds.json <project>:<dataset>',
  console: 'BigQuery → the dataset → Sharing → Permissions → remove allUsers / allAuthenticatedUsers.',
  bad: [
    collected(
      'gcp',
      [
        dataset('open', { access: [OWNER, { role: 'READER', specialGroup: 'allAuthenticatedUsers' }] }),
        dataset('anyone', { access: [OWNER, { role: 'READER', iamMember: 'allUsers' }] }),
        dataset('closed', {}),
        dataset('unreadable', {}, true),
      ],
      [dsId('open'), dsId('anyone')],
    ),
  ],
  good: [collected('gcp', [dataset('closed', { access: [OWNER, { role: 'READER', domain: 'example.com' }, { role: 'READER', groupByEmail: 'analysts@example.com' }] })])],
};

export const bigqueryCmekLive: LiveSpec = {
  kinds: [GCP.dataset],
  check(r) {
    const missing = needs(r, 'defaultEncryptionConfiguration');
    if (missing.length > 0) return missing;
    const key = str(dig(r.attrs, 'defaultEncryptionConfiguration', 'kmsKeyName'));
    return key !== undefined && key !== '' ? [] : [violation(['defaultEncryptionConfiguration'], 'no default customer-managed key: new tables use Google-managed keys')];
  },
  cli: 'bq update --default_kms_key=projects/<project>/locations/<location>/keyRings/<ring>/cryptoKeys/<key> <project>:<dataset>',
  console: 'BigQuery → the dataset → Edit details → Advanced options → Customer-managed encryption key.',
  bad: [collected('gcp', [dataset('plain', {}), dataset('keyed', { defaultEncryptionConfiguration: { kmsKeyName: 'projects/p/locations/eu/keyRings/r/cryptoKeys/k' } }), dataset('unreadable', {}, true)], [dsId('plain')])],
  good: [collected('gcp', [dataset('keyed', { defaultEncryptionConfiguration: { kmsKeyName: 'projects/p/locations/eu/keyRings/r/cryptoKeys/k' } })])],
};
