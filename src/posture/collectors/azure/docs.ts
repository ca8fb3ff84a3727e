/**
 * docs/collectors/azure.md, generated from the catalog so the documented calls, permissions,
 * kinds and attrs keys are the ones the collector uses (docs.test.ts keeps the file current:
 * `VIGIL_UPDATE_DOCS=1 node --import tsx --test src/posture/collectors/azure/docs.test.ts`).
 */
import { RESOURCE_TYPES, ROLE_DEFINITION_PREFIX, SUBSCRIPTION, type ResourceType, type SubCall } from './catalog.js';

export interface AzureCall {
  readonly kind: string;
  readonly call: string;
  readonly apiVersion: string;
  readonly action: string;
}

const subPath = (c: SubCall): string => (c.type === 'refs' ? `GET <each id in ${c.pointer.join('.')}[].id>` : c.type === 'named' ? `GET {id}${c.path}/{name}` : `GET {id}${c.path}`);

/** Every call the collector makes, with the RBAC action it needs. */
export function azureCalls(): AzureCall[] {
  const out: AzureCall[] = [
    { kind: SUBSCRIPTION.kind, call: 'GET /subscriptions', apiVersion: SUBSCRIPTION.apiVersion, action: SUBSCRIPTION.action },
    { kind: SUBSCRIPTION.kind, call: 'GET /subscriptions/{subscriptionId}', apiVersion: SUBSCRIPTION.apiVersion, action: SUBSCRIPTION.action },
  ];
  const add = (kind: string, call: string, apiVersion: string, action: string): void => {
    out.push({ kind, call, apiVersion, action });
  };
  for (const t of RESOURCE_TYPES) {
    const q = t.query ? `?${Object.entries(t.query).map(([k, v]) => `${k}=${v}`).join('&')}` : '';
    add(t.kind, `GET /subscriptions/{subscriptionId}${t.listPath}${q}`, t.apiVersion, t.action);
    for (const c of t.subCalls) add(t.kind, subPath(c), c.apiVersion, c.action);
    for (const child of t.children ?? []) {
      add(child.kind, `GET {serverId}${child.path}`, child.apiVersion, child.action);
      for (const c of child.subCalls) add(child.kind, subPath(c), c.apiVersion, c.action);
    }
    if (t.kind === 'azure:Microsoft.Authorization/roleDefinitions') {
      add(t.kind, `GET /subscriptions/{subscriptionId}${ROLE_DEFINITION_PREFIX}{roleId} (each role an assignment refers to)`, '2022-04-01', t.action);
    }
  }
  return out;
}

/** The distinct RBAC actions, sorted: the least-privilege custom role. */
export function azureActions(): string[] {
  return [...new Set(azureCalls().map((c) => c.action))].sort((a, b) => a.localeCompare(b));
}

function kindSection(t: ResourceType | typeof SUBSCRIPTION, subCalls: readonly SubCall[]): string[] {
  const lines = [`### \`${t.kind}\``, '', t.doc, ''];
  if (subCalls.length > 0) {
    lines.push('| attrs key | from | holds |', '|---|---|---|');
    for (const c of subCalls) lines.push(`| \`${c.key}\` | \`${subPath(c)}\` | ${c.doc} |`);
    lines.push('');
  }
  return lines;
}

export function renderAzureDoc(): string {
  const role = {
    Name: 'Vigil posture reader',
    IsCustom: true,
    Description: 'Read-only access for the Vigil Azure posture collector',
    Actions: azureActions(),
    NotActions: [],
    DataActions: [],
    NotDataActions: [],
    AssignableScopes: ['/subscriptions/<subscription-id>'],
  };
  const lines: string[] = [
    '# Azure collector',
    '',
    '<!-- Generated from src/posture/collectors/azure/catalog.ts by docs.ts; do not edit by hand. -->',
    '',
    'Reads Azure Resource Manager (ARM) REST through the Azure SDK pipeline (`@azure/core-rest-pipeline`:',
    'its retry policy honours `Retry-After` on 429/503 and backs off exponentially on 5xx and network',
    'errors; `bearerTokenAuthenticationPolicy` with the ARM scope). Only `GET` requests are sent.',
    '',
    '- **Live**: `DefaultAzureCredential` (environment, workload identity, managed identity, Azure CLI…),',
    '  or a service principal secret (`clientSecret: {tenantId, clientId, clientSecret}`), or any',
    '  `TokenCredential`. Subscriptions: those given, else every subscription the credential can list',
    '  (disabled and deleted ones skipped). One result per subscription.',
    '- **Offline**: VCR cassettes (`recordings`: files or folders of `*.json`) replayed through the same',
    '  pipeline by a custom `HttpClient`. Requests match on method, host and path (case-insensitive, as',
    '  ARM is), plus the query parameters other than `api-version`; the first recording of a request',
    '  answers. A request with no recording becomes a gap "not in the recordings". Subscriptions: those',
    '  given, else the ones in the recorded URIs.',
    '- Options: `concurrency` (requests in flight, default 8), `maxPages` (per list call, default 500;',
    '  a gap when reached), `retry` (`maxRetries` 4, `retryDelayInMs` 1000, `maxRetryDelayInMs` 60000),',
    '  `timeoutMs` (60000), `endpoint` / `scope` (sovereign clouds), `agent` (proxy, private CA).',
    '',
    '## Gaps',
    '',
    'A list call that fails gives a `CollectionGap` naming the call and the kinds it leaves unknown; a',
    'per-resource sub-call that fails leaves its attrs key out and records the reason in',
    '`meta.gaps[key]` (for server parameters, `configurations.<name>`). Reasons: 401 or no token →',
    '`bad-credentials`; 403 → `access-denied`; an unregistered resource provider or unsupported type',
    '(`MissingSubscriptionRegistration`, `NoRegisteredProviderFound`, a 404 on a list) → `not-enabled`;',
    '429 after the retries → `throttled`; 5xx or network errors after the retries → `unavailable`; a body',
    'that is not the expected JSON, or a `nextLink` to another host (never followed: the token would go',
    'with it) → `invalid-response`. A sub-call answered 404 means "not configured" and gives `null`.',
    'Messages carry the provider\'s error code and text; bearer tokens, JWTs and secrets are scrubbed.',
    '',
    '## Least privilege',
    '',
    'The built-in **Reader** role on each subscription (`*/read`) covers every call; no data-plane',
    'access is needed (Key Vault keys and secrets are listed through ARM, metadata only, never values;',
    'App Service authentication is read with `config/authsettingsV2`, which returns no secrets; Cosmos',
    'DB keys are never listed). The exact actions, as a custom role:',
    '',
    '```json',
    JSON.stringify(role, null, 2),
    '```',
    '',
    '## Calls',
    '',
    '| kind | call | api-version | action |',
    '|---|---|---|---|',
    ...azureCalls().map((c) => `| \`${c.kind}\` | \`${c.call}\` | ${c.apiVersion} | \`${c.action}\` |`),
    '',
    '## Kinds and attrs',
    '',
    'Every resource: `kind` as below, `attrs` = the ARM JSON as returned (`id`, `name`, `type`,',
    '`location`, `tags`, `properties`, `sku`, `kind`, `identity`, …) with the sub-call answers merged',
    'under the keys listed; `id` and `file` = the ARM id; `account` = the subscription id; `region` =',
    'the location, lower-cased without spaces; `meta.resourceGroup` = the resource group. A sub-call',
    'key is absent, with no gap, when it does not apply (blob containers of a FileStorage account).',
    '',
    ...kindSection(SUBSCRIPTION, []),
  ];
  for (const t of RESOURCE_TYPES) {
    lines.push(...kindSection(t, t.subCalls));
    if (t.kind === 'azure:Microsoft.Authorization/roleAssignments') {
      lines.push('| attrs key | from | holds |', '|---|---|---|', '| `roleDefinition` | the role definition of `properties.roleDefinitionId` | The definition (`properties.roleName`, `type`, `permissions`), `null` when the role no longer exists. |', '');
    }
    for (const c of t.children ?? []) lines.push(...kindSection({ ...c, service: t.service, listPath: c.path, subCalls: c.subCalls }, c.subCalls));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
