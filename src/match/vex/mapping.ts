/**
 * The VEX vocabularies and how they map onto each other: CycloneDX `analysis.state` and
 * `analysis.justification`, OpenVEX status and justification labels (which CSAF 2.0 uses as
 * its flag labels too), and Vigil's own decisions (a suppression's status). One table each,
 * documented in docs/scan-formats.md; importers and exporters both read them from here.
 */
import type { Suppression } from '../model.js';
import type { VexStatus } from './model.js';

export const CDX_STATES = ['resolved', 'resolved_with_pedigree', 'exploitable', 'in_triage', 'false_positive', 'not_affected'] as const;
export type CdxState = (typeof CDX_STATES)[number];

export const CDX_JUSTIFICATIONS = [
  'code_not_present',
  'code_not_reachable',
  'requires_configuration',
  'requires_dependency',
  'requires_environment',
  'protected_by_compiler',
  'protected_at_runtime',
  'protected_at_perimeter',
  'protected_by_mitigating_control',
] as const;
export type CdxJustification = (typeof CDX_JUSTIFICATIONS)[number];

export const CDX_RESPONSES = ['can_not_fix', 'will_not_fix', 'update', 'rollback', 'workaround_available'] as const;
export type CdxResponse = (typeof CDX_RESPONSES)[number];

/** OpenVEX 0.2.0 justification labels; CSAF 2.0 flag labels are the same five words. */
export const OPENVEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;
export type OpenVexJustification = (typeof OPENVEX_JUSTIFICATIONS)[number];

const isOneOf = <T extends string>(list: readonly T[], v: unknown): v is T => typeof v === 'string' && (list as readonly string[]).includes(v);
export const isCdxState = (v: unknown): v is CdxState => isOneOf(CDX_STATES, v);
export const isCdxJustification = (v: unknown): v is CdxJustification => isOneOf(CDX_JUSTIFICATIONS, v);
export const isCdxResponse = (v: unknown): v is CdxResponse => isOneOf(CDX_RESPONSES, v);
export const isOpenVexJustification = (v: unknown): v is OpenVexJustification => isOneOf(OPENVEX_JUSTIFICATIONS, v);

/** CycloneDX analysis state → VEX status (import). */
export const CDX_STATE_TO_VEX: Readonly<Record<CdxState, VexStatus>> = {
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
};

/** CycloneDX justification → OpenVEX justification (the nearest label; several CycloneDX words share one). */
export const CDX_TO_OPENVEX_JUSTIFICATION: Readonly<Record<CdxJustification, OpenVexJustification>> = {
  code_not_present: 'vulnerable_code_not_present',
  code_not_reachable: 'vulnerable_code_not_in_execute_path',
  requires_configuration: 'vulnerable_code_cannot_be_controlled_by_adversary',
  requires_dependency: 'component_not_present',
  requires_environment: 'vulnerable_code_cannot_be_controlled_by_adversary',
  protected_by_compiler: 'inline_mitigations_already_exist',
  protected_at_runtime: 'inline_mitigations_already_exist',
  protected_at_perimeter: 'inline_mitigations_already_exist',
  protected_by_mitigating_control: 'inline_mitigations_already_exist',
};

/** OpenVEX (or CSAF flag) justification → CycloneDX justification. */
export const OPENVEX_TO_CDX_JUSTIFICATION: Readonly<Record<OpenVexJustification, CdxJustification>> = {
  component_not_present: 'code_not_present',
  vulnerable_code_not_present: 'code_not_present',
  vulnerable_code_not_in_execute_path: 'code_not_reachable',
  vulnerable_code_cannot_be_controlled_by_adversary: 'requires_environment',
  inline_mitigations_already_exist: 'protected_by_mitigating_control',
};

/** A justification in either vocabulary, as CycloneDX spells it (undefined when it is neither). */
export function cdxJustification(j: string | undefined): CdxJustification | undefined {
  if (isCdxJustification(j)) return j;
  if (isOpenVexJustification(j)) return OPENVEX_TO_CDX_JUSTIFICATION[j];
  return undefined;
}

/** A justification in either vocabulary, as OpenVEX spells it (undefined when it is neither). */
export function openVexJustification(j: string | undefined): OpenVexJustification | undefined {
  if (isOpenVexJustification(j)) return j;
  if (isCdxJustification(j)) return CDX_TO_OPENVEX_JUSTIFICATION[j];
  return undefined;
}

/**
 * What a suppression decided, in one closed vocabulary. Triage states, VEX statuses and
 * CycloneDX states all land here; an ignore-file entry (and any status Vigil does not know)
 * is an accepted risk: the finding is hidden from the gate, but nobody claimed it does not apply.
 */
export const DECISIONS = ['not_affected', 'false_positive', 'fixed', 'accepted_risk', 'under_investigation', 'affected'] as const;
export type Decision = (typeof DECISIONS)[number];

const STATUS_TO_DECISION: Readonly<Record<string, Decision>> = {
  not_affected: 'not_affected',
  false_positive: 'false_positive',
  fixed: 'fixed',
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  accepted_risk: 'accepted_risk',
  risk_accepted: 'accepted_risk',
  ignored: 'accepted_risk',
  under_investigation: 'under_investigation',
  in_triage: 'under_investigation',
  affected: 'affected',
  exploitable: 'affected',
};

export function decisionOf(s: Suppression): Decision {
  if (s.kind === 'ignore-file') return 'accepted_risk';
  return STATUS_TO_DECISION[s.status.toLowerCase()] ?? 'accepted_risk';
}

/** Decision → CycloneDX analysis state and response (export). */
export const DECISION_TO_CDX: Readonly<Record<Decision, { readonly state: CdxState; readonly response?: CdxResponse }>> = {
  not_affected: { state: 'not_affected' },
  false_positive: { state: 'false_positive' },
  fixed: { state: 'resolved', response: 'update' },
  accepted_risk: { state: 'exploitable', response: 'will_not_fix' },
  under_investigation: { state: 'in_triage' },
  affected: { state: 'exploitable' },
};

/** Decision → OpenVEX status (export). */
export const DECISION_TO_OPENVEX: Readonly<Record<Decision, VexStatus>> = {
  not_affected: 'not_affected',
  false_positive: 'not_affected',
  fixed: 'fixed',
  accepted_risk: 'affected',
  under_investigation: 'under_investigation',
  affected: 'affected',
};
