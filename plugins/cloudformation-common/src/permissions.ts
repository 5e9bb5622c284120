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

/** Every permission of the CloudFormation plugins. */
export const cloudformationPermissions = [cloudformationStackRetirePermission];
