import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Retiring the service behind a catalog entity: deleting its CloudFormation stack, removing its
 * catalog entities and archiving its repository. A resource permission on the entity, so a policy
 * can grant it to the entity's owners only (`catalogConditions.isEntityOwner`). Checked by
 * `aws:cloudformation:delete` in the backend against the task initiator.
 */
export const cloudformationStackRetirePermission = createPermission({
  name: 'cloudformation.stack.retire',
  attributes: { action: 'delete' },
  resourceType: 'catalog-entity',
});

/**
 * Starting drift detection (`DetectStackDrift`) on the stack of a catalog entity. A resource
 * permission on the entity, so a policy can grant it conditionally; the portal's policy grants it
 * to the entity's owners only. Reading the last drift result needs no more than reading the entity.
 */
export const cloudformationDriftDetectPermission = createPermission({
  name: 'cloudformation.stack.drift.detect',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Every permission the CloudFormation plugins define, for the permission framework's metadata. */
export const cloudformationPermissions = [
  cloudformationStackRetirePermission,
  cloudformationDriftDetectPermission,
];
