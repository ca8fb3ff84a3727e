import { useState, type FormEvent } from 'react';
import { ErrorBox } from './ui';

export const STATES = ['open', 'in_triage', 'accepted_risk', 'false_positive', 'not_affected', 'fixed'] as const;
export type TriageState = (typeof STATES)[number];
export const JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;
export type Justification = (typeof JUSTIFICATIONS)[number];

export interface TriageInput {
  state: TriageState;
  justification?: Justification;
  reason?: string;
  expiresAt?: string;
}

export const stateLabel = (s: string): string => s.replace(/_/g, ' ');

/** State, VEX justification (not affected), expiry (accepted risk) and a comment. */
export function TriageForm({ onSubmit, pending, error, submitLabel }: { onSubmit: (t: TriageInput) => void; pending: boolean; error: unknown; submitLabel: string }) {
  const [state, setState] = useState<TriageState>('in_triage');
  const [justification, setJustification] = useState<Justification>('vulnerable_code_not_in_execute_path');
  const [reason, setReason] = useState('');
  const [expires, setExpires] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit({
      state,
      ...(state === 'not_affected' ? { justification } : {}),
      ...(reason.trim() ? { reason: reason.trim() } : {}),
      ...(state === 'accepted_risk' && expires ? { expiresAt: new Date(`${expires}T23:59:59Z`).toISOString() } : {}),
    });
  };
  return (
    <form className="triage" onSubmit={submit} aria-label="Triage">
      <label>
        State
        <select name="state" value={state} onChange={(e) => setState(e.target.value as TriageState)}>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {stateLabel(s)}
            </option>
          ))}
        </select>
      </label>
      {state === 'not_affected' && (
        <label>
          Justification
          <select name="justification" value={justification} onChange={(e) => setJustification(e.target.value as Justification)}>
            {JUSTIFICATIONS.map((j) => (
              <option key={j} value={j}>
                {stateLabel(j)}
              </option>
            ))}
          </select>
        </label>
      )}
      {state === 'accepted_risk' && (
        <label>
          Expires on
          <input type="date" name="expiresAt" value={expires} onChange={(e) => setExpires(e.target.value)} />
        </label>
      )}
      <label className="wide">
        Comment
        <input type="text" name="reason" maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="Why (kept in the history and the audit log)" />
      </label>
      <button type="submit" className="primary" disabled={pending}>
        {pending ? 'Saving…' : submitLabel}
      </button>
      {error ? <ErrorBox error={error} /> : null}
    </form>
  );
}
