/**
 * The one small interface between the AWS collector and AWS: `call` one operation of the
 * catalogue (operations.ts) in a region and get the normalised output (normalise.ts) or a typed
 * error, never a throw. Two implementations: live (AWS SDK v3 clients, live.ts) and offline
 * (a directory of recorded responses, offline.ts). Everything above this layer is the same
 * code for both.
 */
import type { GapReason } from '../../types.js';
import type { AwsOperationId } from '../operations.js';

export type AwsData = Readonly<Record<string, unknown>>;

export interface AwsCallError {
  /** The provider's error code (`AccessDenied`, `NoSuchBucketPolicy`, `Throttling`), or a Vigil code (`NoRecording`). */
  readonly code: string;
  /** What the provider said, with anything credential-like removed. */
  readonly message: string;
  readonly status?: number | undefined;
  readonly reason: GapReason;
}

export type AwsResult = { readonly ok: true; readonly data: AwsData } | { readonly ok: false; readonly error: AwsCallError };

export interface AwsStats {
  readonly calls: number;
  readonly retries: number;
}

export interface AwsApi {
  readonly mode: 'live' | 'offline';
  /**
   * True when responses must be requested in a fixed order (recordings are replayed per
   * operation in call order, as placebo does): the collector then makes one call at a time.
   */
  readonly ordered: boolean;
  call(id: AwsOperationId, region: string, input?: Readonly<Record<string, unknown>>): Promise<AwsResult>;
  stats(): AwsStats;
  /** Wait between credential-report polls (0 offline). */
  sleep(ms: number): Promise<void>;
  /** Releases clients and sockets. */
  close(): void;
}
