import '@testing-library/jest-dom';
import { fireEvent, screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  ANNOTATION_CLOUDFORMATION_STACK_NAME,
  CloudFormationStack,
} from '@golden-path/plugin-cloudformation-common';
import { cloudFormationApiRef } from '../../api';
import { CloudFormationCard } from './CloudFormationCard';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'orders-api',
    namespace: 'default',
    annotations: { [ANNOTATION_CLOUDFORMATION_STACK_NAME]: 'orders-api-dev' },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'experimental' },
};

const RESOURCES_UNREADABLE =
  'ListStackResources for stack orders-api-dev answered HTTP 500 with an HTML page: check that the CloudFormation endpoint is CloudFormation.';

function stack(overrides: Partial<CloudFormationStack>): CloudFormationStack {
  return {
    stackName: 'orders-api-dev',
    stackId:
      'arn:aws:cloudformation:us-east-1:123456789012:stack/orders-api-dev/1a2b',
    region: 'us-east-1',
    accountId: '123456789012',
    status: 'CREATE_COMPLETE',
    phase: 'complete',
    createdAt: new Date().toISOString(),
    lastUpdatedAt: new Date().toISOString(),
    outputs: [],
    resources: [],
    events: [
      {
        id: 'e1',
        timestamp: new Date().toISOString(),
        logicalId: 'orders-api-dev',
        status: 'CREATE_COMPLETE',
      },
    ],
    ...overrides,
  };
}

async function renderCard(answer: CloudFormationStack) {
  const api = {
    getEntityStack: jest.fn(async () => ({
      status: 'available' as const,
      retrievedAt: new Date().toISOString(),
      stack: answer,
    })),
  };
  await renderInTestApp(
    <TestApiProvider apis={[[cloudFormationApiRef, api]]}>
      <EntityProvider entity={entity}>
        <CloudFormationCard />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('CloudFormationCard with parts the backend could not read', () => {
  it('shows the status and events, and says in words why the resources are missing', async () => {
    await renderCard(
      stack({ unreadable: { resources: RESOURCES_UNREADABLE } }),
    );

    expect(await screen.findByText('Create complete')).toBeInTheDocument();
    // No count for a list that could not be read: zero would be a claim.
    fireEvent.click(screen.getByRole('tab', { name: 'Resources' }));
    const note = screen.getByRole('note', {
      name: 'Could not read the resources',
    });
    expect(note).toHaveTextContent(RESOURCES_UNREADABLE);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    fireEvent.click(screen.getByRole('tab', { name: 'Events' }));
    expect(
      within(screen.getByRole('table', { name: 'Events' })).getAllByRole('row'),
    ).toHaveLength(2);
  });

  it('says why a settled stack shows no outputs', async () => {
    await renderCard(stack({}));

    expect(
      await screen.findByText(
        /^CloudFormation reports no outputs for this stack: its template declares none, or the endpoint/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'Outputs (0)' }),
    ).toBeInTheDocument();
  });

  it('says outputs come later while the stack is being created', async () => {
    await renderCard(
      stack({ status: 'CREATE_IN_PROGRESS', phase: 'in-progress' }),
    );

    expect(
      await screen.findByText(
        'The stack has no outputs yet: CloudFormation reports them when the operation completes.',
      ),
    ).toBeInTheDocument();
  });
});
