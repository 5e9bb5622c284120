import type { StackFailure } from '@golden-path/plugin-cloudformation-node';

type Advice = {
  pattern: RegExp;
  advise: (failure: StackFailure, physicalId: string) => string;
};

// The causes of DELETE_FAILED people meet most, each with the way out.
const ADVICE: Advice[] = [
  {
    pattern: /bucket you tried to delete is not empty|BucketNotEmpty/i,
    advise: (failure, id) =>
      `The bucket ${id} still holds objects. Empty it (aws s3 rm s3://${id} --recursive, and delete every object version if versioning is on), ` +
      `or keep it: run the task again with retainResources: [${failure.logicalResourceId}].`,
  },
  {
    pattern: /still contains images|RepositoryNotEmpty/i,
    advise: (failure, id) =>
      `The ECR repository ${id} still holds images. Delete them (aws ecr batch-delete-image --repository-name ${id} --image-ids …), ` +
      `or keep the repository and its images: run the task again with retainResources: [${failure.logicalResourceId}].`,
  },
  {
    pattern: /Export (\S+) cannot be deleted as it is in use by (\S+)/i,
    advise: failure => {
      const [, exportName, importer] =
        /Export (\S+) cannot be deleted as it is in use by (\S+)/i.exec(
          failure.reason,
        ) ?? [];
      return (
        `Stack ${importer} imports ${exportName} from this stack (Fn::ImportValue). Remove that import from ${importer} ` +
        '(or retire that stack first), then run the task again. Nothing of this stack was deleted for it.'
      );
    },
  },
  {
    pattern:
      /DependencyViolation|has a dependent object|has dependencies and cannot be deleted|is in use/i,
    advise: (failure, id) =>
      `Something outside the stack still uses ${id} (for example a network interface or another stack's resource). ` +
      `Find and remove that user, or keep it: run the task again with retainResources: [${failure.logicalResourceId}].`,
  },
  {
    pattern: /deletion protection|DeletionProtection/i,
    advise: (failure, id) =>
      `${id} has deletion protection on. Turn it off on the resource (for RDS: aws rds modify-db-instance --db-instance-identifier ${id} ` +
      `--no-deletion-protection --apply-immediately) if it really should go, or keep it with retainResources: [${failure.logicalResourceId}].`,
  },
];

/**
 * What to do about a failed delete: advice for the cause CloudFormation reported, or the general
 * way out (fix the cause, or retain the resource) when the cause is not one we know.
 */
export function adviseOnDeleteFailure(
  failure: StackFailure,
  physicalIds: Record<string, string>,
): string {
  const id =
    physicalIds[failure.logicalResourceId] ?? failure.logicalResourceId;
  const known = ADVICE.find(advice => advice.pattern.test(failure.reason));
  if (known) {
    return known.advise(failure, id);
  }
  return (
    `Fix what CloudFormation reports for ${failure.logicalResourceId} and run the task again, or keep that resource: ` +
    `run the task again with retainResources: [${failure.logicalResourceId}].`
  );
}
