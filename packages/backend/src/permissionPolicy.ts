import { AuthorizeResult, isResourcePermission, PolicyDecision } from '@backstage/plugin-permission-common';
import { PermissionPolicy, PolicyQuery, PolicyQueryUser } from '@backstage/plugin-permission-node';
import { catalogConditions, createCatalogConditionalDecision } from '@backstage/plugin-catalog-backend/alpha';
import { cloudformationDriftDetectPermission } from '@golden-path/plugin-cloudformation-common';

/** Entity permissions only the entity's owners hold (by the signed-in user's ownership claims). */
export const ownerOnlyPermissions: string[] = [cloudformationDriftDetectPermission.name];

/**
 * The portal's policy: the permissions in {@link ownerOnlyPermissions} are granted on an entity to
 * its owners, decided by the catalog's `IS_ENTITY_OWNER` rule; everything else is allowed.
 */
export class PortalPermissionPolicy implements PermissionPolicy {
  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    if (isResourcePermission(request.permission, 'catalog-entity') && ownerOnlyPermissions.includes(request.permission.name)) {
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({ claims: user?.info.ownershipEntityRefs ?? [] }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}
