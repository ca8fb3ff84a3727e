/**
 * Calls of well-known registry modules (`terraform-aws-modules/<name>/aws`): their source is
 * not in the scanned tree, but their inputs carry the same names as the arguments of the
 * resource they create, so a rule may read a module call's arguments like that resource's,
 * with the module's own defaults for what the call leaves out (they may differ from the
 * resource's, and between major versions: `moduleMajor`).
 */
import { str } from '../../../../attrs.js';
import type { Resource } from '../../../../model.js';

const REGISTRY = /^(?:registry\.terraform\.io\/)?terraform-aws-modules\/([a-z0-9-]+)\/aws$/;
const GITHUB = /^(?:git::)?(?:https:\/\/|git@)?github\.com[/:]terraform-aws-modules\/terraform-aws-([a-z0-9-]+?)(?:\.git)?(?:\?ref=[\w.-]+)?$/;

/** `rds` for a call of `terraform-aws-modules/rds/aws` (root module only), else undefined. */
export function registryModule(r: Resource): string | undefined {
  const source = str(r.attrs['source'])?.trim();
  if (source === undefined || source.length > 300) return undefined;
  return REGISTRY.exec(source)?.[1] ?? GITHUB.exec(source)?.[1];
}

/**
 * The major version a call pins (`~> 6.0`, `6.2.1`, `>= 5, < 7` → the first number), or
 * undefined when it names none: the latest release is then what Terraform installs.
 */
export function moduleMajor(r: Resource): number | undefined {
  const version = str(r.attrs['version']);
  const m = version === undefined ? null : /(\d+)/.exec(version.slice(0, 100));
  return m === null ? undefined : Number(m[1]);
}
