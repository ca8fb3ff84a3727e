import { createHash } from 'node:crypto';

/** The hash of the record before the first one. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields a record's hash covers, in a fixed order. */
export interface ChainedFields {
  readonly seq: number;
  readonly occurredAt: string;
  readonly tenantId: string | null;
  readonly actorType: string;
  readonly actorId: string | null;
  readonly actorLabel: string;
  readonly action: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly requestId: string | null;
  readonly ip: string | null;
  readonly outcome: string;
  /** Canonical JSON (see canonicalJson). */
  readonly details: string;
  readonly prevHash: string;
}

/** JSON with object keys sorted at every level, so the same value always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** SHA-256 (hex) over the canonical JSON array of the fields, previous hash included. */
export function recordHash(f: ChainedFields): string {
  const material = JSON.stringify([
    f.seq, f.occurredAt, f.tenantId, f.actorType, f.actorId, f.actorLabel, f.action,
    f.targetType, f.targetId, f.requestId, f.ip, f.outcome, f.details, f.prevHash,
  ]);
  return createHash('sha256').update(material, 'utf8').digest('hex');
}
