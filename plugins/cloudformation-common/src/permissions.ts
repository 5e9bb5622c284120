import { createPermission } from '@backstage/plugin-permission-common';

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
export const cloudformationPermissions = [cloudformationDriftDetectPermission];
