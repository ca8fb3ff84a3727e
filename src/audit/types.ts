/** What the rest of Vigil needs from the audit log; implemented in ./log.ts. */
export type ActorType = 'user' | 'apikey' | 'system' | 'anonymous';

export interface AuditEntry {
  /** null for events outside any tenant (a failed login for an unknown account). */
  readonly tenantId: string | null;
  readonly actorType: ActorType;
  readonly actorId: string | null;
  /** Email, API key prefix or `system`: never a secret. */
  readonly actorLabel: string;
  /** Stable dotted verb, e.g. `auth.login`, `users.create`, `POST /api/v1/users`. */
  readonly action: string;
  readonly targetType?: string | undefined;
  readonly targetId?: string | undefined;
  readonly requestId?: string | undefined;
  readonly ip?: string | undefined;
  readonly outcome: 'success' | 'failure';
  /** Small, secret-free details (status code, changed field names). */
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
}
