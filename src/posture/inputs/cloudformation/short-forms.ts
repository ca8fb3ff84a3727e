/**
 * What both CloudFormation YAML readers (yaml.ts with `yaml`, fast.ts with js-yaml) share: the
 * short-form intrinsics, how a tagged node becomes its long form, and how a scalar's value is
 * kept. Pure.
 */
import { map, scalar, seq, type LNode, type Scalar } from './tree.js';

/** Every short-form intrinsic CloudFormation (and its language extensions) defines. */
export const SHORT_FORMS = [
  'Ref', 'Condition', 'Sub', 'GetAtt', 'If', 'Equals', 'Join', 'Select', 'Split', 'FindInMap',
  'Base64', 'Cidr', 'GetAZs', 'ImportValue', 'Not', 'And', 'Or', 'Transform', 'Length', 'ToJsonString',
] as const;

/** The long-form key of a short-form tag (`!Ref` → `Ref`, `!If` → `Fn::If`). */
export function longForm(tag: string): string {
  const name = tag.slice(1);
  return name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
}

/** A short-form tagged node as its long form (`!GetAtt A.B` → `{ "Fn::GetAtt": ["A", "B"] }`). */
export function intrinsic(tag: string, value: LNode, line: number): LNode {
  const key = longForm(tag);
  let arg = value;
  if (key === 'Fn::GetAtt' && value.t === 'scalar' && typeof value.v === 'string') {
    const dot = value.v.indexOf('.');
    const parts = dot === -1 ? [value.v] : [value.v.slice(0, dot), value.v.slice(dot + 1)];
    arg = seq(
      parts.map((p) => scalar(p, value.line)),
      value.line,
      value.end,
    );
  }
  return map([{ key, line, value: arg }], line, value.end);
}

/**
 * A scalar's value under the YAML 1.2 core schema, except that a plain number whose canonical
 * form differs from the source (`012345678901`, `10.10`, `1e3`, `.inf`) keeps the source text:
 * CloudFormation passes scalars to services as strings, and an account id or an engine version
 * must not lose digits.
 */
export function scalarValue(value: unknown, plain: boolean, source: string | undefined): Scalar {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (plain && source !== undefined && (!Number.isFinite(value) || String(value) !== source)) return source;
    return Number.isFinite(value) ? value : String(value);
  }
  if (typeof value === 'bigint') return String(value);
  return source ?? null;
}
