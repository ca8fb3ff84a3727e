/**
 * What RDS rules need to know about a database resource: whether an instance is a member of an
 * Aurora cluster or a copy of another database (those inherit storage, backup and deletion
 * settings from the cluster or source), its engine family, and its parameter group's settings.
 */
import { at, isObject, str } from '../../../../attrs.js';
import type { Resource } from '../../../../model.js';
import type { RuleContext } from '../../../../rule.js';
import { eachBlock, isAbsent, referenced, type Attrs } from './checks.js';

export type EngineFamily = 'mysql' | 'postgres' | 'oracle' | 'sqlserver' | 'db2' | 'other' | 'unknown';

/** The engine family of an engine name (`aurora-mysql`, `postgres`, `sqlserver-se`, …). */
export function engineFamily(engine: unknown): EngineFamily {
  const e = str(engine)?.toLowerCase();
  if (e === undefined || e.includes('${')) return 'unknown';
  if (e === 'aurora' || e.includes('mysql') || e.includes('mariadb')) return 'mysql';
  if (e.includes('postgres')) return 'postgres';
  if (e.startsWith('oracle')) return 'oracle';
  if (e.startsWith('sqlserver')) return 'sqlserver';
  if (e.startsWith('db2')) return 'db2';
  return 'other';
}

/** A Terraform `aws_db_instance` whose storage, backups and deletion belong to an Aurora cluster. */
export function tfClusterMember(a: Attrs): boolean {
  return str(a['engine'])?.toLowerCase().startsWith('aurora') === true;
}

/** A Terraform instance created from another database (replica or snapshot). */
export function tfCopy(a: Attrs): boolean {
  return !isAbsent(a['replicate_source_db']) || !isAbsent(a['snapshot_identifier']);
}

/** A CloudFormation DBInstance in an Aurora cluster. */
export function cfnClusterMember(p: Attrs): boolean {
  return !isAbsent(p['DBClusterIdentifier']) || str(p['Engine'])?.toLowerCase().startsWith('aurora') === true;
}

/** A CloudFormation instance or cluster created from another database (replica or snapshot). */
export function cfnCopy(p: Attrs): boolean {
  return ['SourceDBInstanceIdentifier', 'DBSnapshotIdentifier', 'SnapshotIdentifier', 'SourceDBClusterIdentifier', 'SourceDBInstanceAutomatedBackupsArn'].some(
    (k) => !isAbsent(p[k]),
  );
}

const TF_GROUPS = ['tf:aws_db_parameter_group', 'tf:aws_rds_cluster_parameter_group'];
const CFN_GROUPS = ['cfn:AWS::RDS::DBParameterGroup', 'cfn:AWS::RDS::DBClusterParameterGroup'];

export interface ParameterGroup {
  readonly family: string;
  /** Parameter name (lower case) → value as written. */
  readonly parameters: ReadonlyMap<string, string>;
}

/** The parameter group `attr` names, when it is defined in the scanned sources. */
export function parameterGroup(r: Resource, attr: string, ctx: RuleContext): ParameterGroup | undefined {
  const value = r.attrs[attr];
  const tfInput = r.kind.startsWith('tf:');
  const target = referenced(r, value, tfInput ? TF_GROUPS : CFN_GROUPS, (id) => ctx.byId(id));
  if (target === undefined) return undefined;
  const parameters = new Map<string, string>();
  if (tfInput) {
    for (const { block } of eachBlock(target.attrs, 'parameter')) {
      const name = str(block['name']);
      const v = str(block['value']);
      if (name !== undefined && v !== undefined) parameters.set(name.toLowerCase(), v);
    }
    return { family: str(target.attrs['family'])?.toLowerCase() ?? '', parameters };
  }
  const params = at(target.attrs, ['Parameters']);
  if (isObject(params)) {
    for (const [k, v] of Object.entries(params)) {
      const s = str(v);
      if (s !== undefined) parameters.set(k.toLowerCase(), s);
    }
  }
  return { family: str(target.attrs['Family'])?.toLowerCase() ?? '', parameters };
}
