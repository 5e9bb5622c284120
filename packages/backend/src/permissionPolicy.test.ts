import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { cloudformationDriftDetectPermission } from '@golden-path/plugin-cloudformation-common';
import { ownerOnlyPermissions, PortalPermissionPolicy } from './permissionPolicy';

const user = (ref: string, ownershipEntityRefs: string[]) => ({
  type: 'user' as const,
  identity: { type: 'user' as const, userEntityRef: ref, ownershipEntityRefs },
  token: 'token',
  credentials: mockCredentials.user(ref),
  info: { userEntityRef: ref, ownershipEntityRefs },
});

describe('PortalPermissionPolicy', () => {
  const policy = new PortalPermissionPolicy();

  it('grants owner-only permissions on the condition that the caller owns the entity', async () => {
    expect(ownerOnlyPermissions).toContain('cloudformation.stack.drift.detect');

    const decision = await policy.handle(
      { permission: cloudformationDriftDetectPermission },
      user('user:default/alice', ['user:default/alice', 'group:default/team-a']),
    );

    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: ['user:default/alice', 'group:default/team-a'] },
      },
    });
  });

  it('allows everything else, e.g. reading entities', async () => {
    const decision = await policy.handle(
      { permission: { type: 'resource', name: 'catalog.entity.read', attributes: { action: 'read' }, resourceType: 'catalog-entity' } },
      user('user:default/bob', ['user:default/bob']),
    );

    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
