import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import {
  ANNOTATION_AWS_ACCOUNT_ID,
  ANNOTATION_CLOUDFORMATION_REGION,
  ANNOTATION_CLOUDFORMATION_STACK_NAME,
} from '@golden-path/plugin-cloudformation-common';

/** The stack an entity names through its annotations. */
export interface StackLocation {
  stackName: string;
  /** Falls back to `aws.cloudformation.defaultRegion`. */
  region?: string;
  /** Falls back to the main account of the AWS integration. */
  accountId?: string;
}

/** Reads the stack annotations; an entity without a stack name has nothing to show (404). */
export function stackLocationOf(entity: Entity): StackLocation {
  const annotations = entity.metadata.annotations ?? {};
  const stackName = annotations[ANNOTATION_CLOUDFORMATION_STACK_NAME]?.trim();
  if (!stackName) {
    throw new NotFoundError(
      `${stringifyEntityRef(entity)} has no ${ANNOTATION_CLOUDFORMATION_STACK_NAME} annotation; ` +
        'add it with the name of the CloudFormation stack that runs the entity',
    );
  }
  return {
    stackName,
    region: annotations[ANNOTATION_CLOUDFORMATION_REGION]?.trim() || undefined,
    accountId: annotations[ANNOTATION_AWS_ACCOUNT_ID]?.trim() || undefined,
  };
}
