import { catalogEntityDeletePermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  cloudformationDriftDetectPermission,
  cloudformationStackRetirePermission,
} from '@golden-path/plugin-cloudformation-common';
import {
  PortalPermissionPolicy,
  ownerOnlyPermissions,
} from './permissionPolicy';

const guest = {
  info: {
    userEntityRef: 'user:default/guest',
    ownershipEntityRefs: ['user:default/guest', 'group:default/platform-team'],
  },
} as PolicyQueryUser;

const user = (ref: string, ownershipEntityRefs: string[]) =>
  ({ info: { userEntityRef: ref, ownershipEntityRefs } }) as PolicyQueryUser;

describe('PortalPermissionPolicy', () => {
  const policy = new PortalPermissionPolicy();

  it('grants retiring a service only to the owners of its entity', async () => {
    expect(ownerOnlyPermissions).toContain('cloudformation.stack.retire');
    await expect(
      policy.handle({ permission: cloudformationStackRetirePermission }, guest),
    ).resolves.toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/guest', 'group:default/platform-team'],
        },
      },
    });
  });

  it('grants starting drift detection on the condition that the caller owns the entity', async () => {
    expect(ownerOnlyPermissions).toContain('cloudformation.stack.drift.detect');

    const decision = await policy.handle(
      { permission: cloudformationDriftDetectPermission },
      user('user:default/alice', [
        'user:default/alice',
        'group:default/team-a',
      ]),
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

  it('gives a caller without identity no owner claims', async () => {
    const decision = await policy.handle({
      permission: cloudformationStackRetirePermission,
    });
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: { params: { claims: [] } },
    });
  });

  it('allows everything else', async () => {
    await expect(
      policy.handle({ permission: catalogEntityDeletePermission }, guest),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    const other = createPermission({ name: 'something.else', attributes: {} });
    await expect(policy.handle({ permission: other }, guest)).resolves.toEqual({
      result: AuthorizeResult.ALLOW,
    });
  });

  it('allows everything else, e.g. reading entities', async () => {
    const decision = await policy.handle(
      {
        permission: {
          type: 'resource',
          name: 'catalog.entity.read',
          attributes: { action: 'read' },
          resourceType: 'catalog-entity',
        },
      },
      user('user:default/bob', ['user:default/bob']),
    );

    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
