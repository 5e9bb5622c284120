import type { StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { parseTemplate } from '@golden-path/plugin-cloudformation-node';
import type { DeletionPlanRow, ResourceFate } from './types';

// CloudFormation snapshots these by default when a template gives no DeletionPolicy.
const SNAPSHOT_BY_DEFAULT = new Set(['AWS::RDS::DBCluster']);
const DB_INSTANCE = 'AWS::RDS::DBInstance';
const FATES: Record<string, ResourceFate> = {
  Delete: 'delete',
  Retain: 'retain',
  // It only differs from Retain while the resource is being created.
  RetainExceptOnCreate: 'retain',
  Snapshot: 'snapshot',
};

type Definition = {
  Type?: unknown;
  DeletionPolicy?: unknown;
  Properties?: Record<string, unknown>;
};

/**
 * What deleting the stack does to each of its live resources: deleted, retained or snapshotted,
 * from the template's `DeletionPolicy` values (and CloudFormation's defaults for RDS), with the
 * resources the caller asked to retain kept. Resources already deleted are left out.
 */
export function planDeletion(
  templateBody: string | undefined,
  resources: StackResourceSummary[],
  retainResources: string[] = [],
): DeletionPlanRow[] {
  const definitions = readDefinitions(templateBody);
  return resources
    .filter(
      resource =>
        resource.LogicalResourceId &&
        resource.ResourceStatus !== 'DELETE_COMPLETE',
    )
    .map(resource => {
      const logicalResourceId = resource.LogicalResourceId!;
      const resourceType = resource.ResourceType ?? 'unknown';
      const row = {
        logicalResourceId,
        resourceType,
        ...(resource.PhysicalResourceId
          ? { physicalResourceId: resource.PhysicalResourceId }
          : {}),
      };
      if (retainResources.includes(logicalResourceId)) {
        return {
          ...row,
          fate: 'retain' as const,
          because: 'retainResources input',
        };
      }
      return {
        ...row,
        ...fateOf(definitions[logicalResourceId], resourceType),
      };
    });
}

/** The template's resources as resource summaries, for when the live ones cannot be listed (no physical ids). */
export function templateResourceSummaries(
  templateBody: string | undefined,
): StackResourceSummary[] {
  return Object.entries(readDefinitions(templateBody)).map(
    ([logicalId, definition]) => ({
      LogicalResourceId: logicalId,
      ResourceType:
        typeof definition.Type === 'string' ? definition.Type : 'unknown',
      ResourceStatus: undefined,
      LastUpdatedTimestamp: undefined,
    }),
  );
}

function fateOf(
  definition: Definition | undefined,
  resourceType: string,
): Pick<DeletionPlanRow, 'fate' | 'because'> {
  const policy = definition?.DeletionPolicy;
  if (typeof policy === 'string' && FATES[policy]) {
    return { fate: FATES[policy], because: `DeletionPolicy: ${policy}` };
  }
  if (policy !== undefined) {
    // A condition decides it; only CloudFormation knows the outcome, so promise nothing is kept.
    return {
      fate: 'delete',
      because: 'DeletionPolicy is an expression; treated as Delete',
    };
  }
  if (
    SNAPSHOT_BY_DEFAULT.has(resourceType) ||
    (resourceType === DB_INSTANCE &&
      !definition?.Properties?.DBClusterIdentifier)
  ) {
    return {
      fate: 'snapshot',
      because: 'no DeletionPolicy: CloudFormation snapshots RDS by default',
    };
  }
  return { fate: 'delete', because: 'no DeletionPolicy' };
}

function readDefinitions(
  templateBody: string | undefined,
): Record<string, Definition> {
  if (!templateBody) {
    return {};
  }
  try {
    const resources = (
      parseTemplate(templateBody) as { Resources?: Record<string, Definition> }
    ).Resources;
    return resources ?? {};
  } catch {
    // The deployed template parsed once; should it not now, the live resources still tell the fate-free plan.
    return {};
  }
}

/** The plan as log lines: deleted, snapshotted and retained resources, and where snapshots end up. */
export function formatDeletionPlan(
  stackName: string,
  rows: DeletionPlanRow[],
): string[] {
  const describe = (row: DeletionPlanRow) =>
    `${row.logicalResourceId} (${row.resourceType}${row.physicalResourceId ? `, ${row.physicalResourceId}` : ''}; ${row.because})`;
  const group = (fate: ResourceFate) => rows.filter(row => row.fate === fate);
  const lines = [
    `Deleting stack ${stackName} affects ${rows.length} resource(s):`,
  ];
  for (const row of group('delete')) {
    lines.push(`  delete    ${describe(row)}`);
  }
  for (const row of group('snapshot')) {
    lines.push(`  snapshot  ${describe(row)} — ${snapshotNote(row)}`);
  }
  for (const row of group('retain')) {
    lines.push(
      `  retain    ${describe(row)} — stays in the account (and is billed) until you delete it`,
    );
  }
  return lines;
}

/** Where the final snapshot of a snapshotted resource can be found afterwards. */
export function snapshotNote(row: DeletionPlanRow): string {
  const id =
    row.physicalResourceId ??
    `<the ${row.logicalResourceId} instance's identifier>`;
  if (row.resourceType === DB_INSTANCE) {
    return (
      `final snapshot of DB instance ${id}, named by CloudFormation after the stack and "${row.logicalResourceId}"; ` +
      `list it with: aws rds describe-db-snapshots --db-instance-identifier ${id} --snapshot-type manual`
    );
  }
  if (row.resourceType === 'AWS::RDS::DBCluster') {
    return `final snapshot of DB cluster ${id}; list it with: aws rds describe-db-cluster-snapshots --db-cluster-identifier ${id} --snapshot-type manual`;
  }
  return `a final snapshot of ${id} is taken before it is deleted`;
}
