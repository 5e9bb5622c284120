import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  isResourcePermission,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';
import type {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  cloudformationDriftDetectPermission,
  cloudformationStackRetirePermission,
} from '@golden-path/plugin-cloudformation-common';

/** Permissions on a catalog entity that only its owners hold. */
export const ownerOnlyPermissions: string[] = [
  cloudformationStackRetirePermission.name,
  cloudformationDriftDetectPermission.name,
];

/**
 * The portal's policy: the permissions in {@link ownerOnlyPermissions} go to the entity's owners
 * (the user or one of their groups is `spec.owner`), everything else is allowed.
 */
export class PortalPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (
      isResourcePermission(request.permission, 'catalog-entity') &&
      ownerOnlyPermissions.includes(request.permission.name)
    ) {
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({
          claims: user?.info.ownershipEntityRefs ?? [],
        }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
