import '@testing-library/jest-dom';
import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  AuthorizeResult,
  type EvaluatePermissionRequest,
  type EvaluatePermissionResponse,
} from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ANNOTATION_CLOUDFORMATION_STACK_NAME } from '@golden-path/plugin-cloudformation-common';
import { RetireServiceCard, retireTemplateUrl } from './RetireServiceCard';

const entity = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { [ANNOTATION_CLOUDFORMATION_STACK_NAME]: `${name}-dev` },
  },
  spec: {
    type: 'service',
    owner: 'group:default/team-a',
    lifecycle: 'production',
  },
});

// One entity per test: usePermission caches decisions by request for the whole module.
async function renderCard(name: string, result: AuthorizeResult) {
  const authorize = jest.fn(
    async (_request: EvaluatePermissionRequest) =>
      ({ result }) as EvaluatePermissionResponse,
  );
  await renderInTestApp(
    <TestApiProvider apis={[[permissionApiRef, { authorize }]]}>
      <EntityProvider entity={entity(name)}>
        <RetireServiceCard />
      </EntityProvider>
    </TestApiProvider>,
  );
  return authorize;
}

describe('RetireServiceCard', () => {
  it("opens the retire template with the entity filled in for the entity's owners", async () => {
    const authorize = await renderCard('payments', AuthorizeResult.ALLOW);

    // MUI gives the link the button role.
    const link = await screen.findByRole('button', { name: 'Retire service' });
    expect(link.tagName).toBe('A');
    expect(link).toHaveAttribute(
      'href',
      retireTemplateUrl('component:default/payments'),
    );
    expect(decodeURIComponent(link.getAttribute('href')!)).toBe(
      '/create/templates/default/retire-aws-fargate-service?formData={"entity":"component:default/payments"}',
    );
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({
          name: 'cloudformation.stack.retire',
        }),
        resourceRef: 'component:default/payments',
      }),
    );
  });

  it('offers a disabled button and says why to everyone else', async () => {
    await renderCard('ledger', AuthorizeResult.DENY);

    expect(
      await screen.findByText('Only the owners of ledger can retire it.'),
    ).toBeInTheDocument();
    const button = screen.getByRole('button', { name: 'Retire service' });
    expect(button).toBeDisabled();
    expect(button).not.toHaveAttribute('href');
  });
});
