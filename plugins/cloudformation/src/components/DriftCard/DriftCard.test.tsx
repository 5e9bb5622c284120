import '@testing-library/jest-dom';
import { fireEvent, screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  ANNOTATION_CLOUDFORMATION_STACK_NAME,
  CloudFormationDriftAnswer,
  CloudFormationStackDrift,
} from '@golden-path/plugin-cloudformation-common';
import {
  CloudFormationApi,
  CloudFormationApiError,
  cloudFormationApiRef,
} from '../../api';
import { DriftCard } from './DriftCard';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments',
    namespace: 'default',
    annotations: { [ANNOTATION_CLOUDFORMATION_STACK_NAME]: 'payments-prod' },
  },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

const hoursAgo = (hours: number) =>
  new Date(Date.now() - hours * 3600_000).toISOString();

const answer = (
  drift: Partial<CloudFormationStackDrift>,
  canDetect = true,
): CloudFormationDriftAnswer => ({
  status: 'available',
  retrievedAt: new Date().toISOString(),
  canDetect,
  drift: {
    stackName: 'payments-prod',
    status: 'NOT_CHECKED',
    resources: [],
    ...drift,
  },
});

const DRIFTED = answer({
  status: 'DRIFTED',
  checkedAt: hoursAgo(2),
  resources: [
    {
      logicalId: 'Database',
      type: 'AWS::RDS::DBInstance',
      status: 'MODIFIED',
      differences: [
        {
          path: '/DBInstanceClass',
          type: 'NOT_EQUAL',
          expected: 'db.t4g.micro',
          actual: 'db.m6g.large',
        },
        {
          path: '/MasterUserPassword',
          type: 'NOT_EQUAL',
          expected: '****',
          actual: '****',
        },
      ],
    },
    {
      logicalId: 'LogGroup',
      type: 'AWS::Logs::LogGroup',
      status: 'DELETED',
      differences: [],
    },
    {
      logicalId: 'Cluster',
      type: 'AWS::ECS::Cluster',
      status: 'IN_SYNC',
      differences: [],
    },
  ],
});

async function renderCard(api: Partial<CloudFormationApi>) {
  const mocks = {
    getEntityDrift: jest.fn(api.getEntityDrift),
    detectEntityDrift: jest.fn(api.detectEntityDrift),
  };
  await renderInTestApp(
    <TestApiProvider apis={[[cloudFormationApiRef, mocks]]}>
      <EntityProvider entity={entity}>
        <DriftCard />
      </EntityProvider>
    </TestApiProvider>,
  );
  return mocks;
}

describe('DriftCard', () => {
  it('shows a progress bar while loading', async () => {
    await renderCard({ getEntityDrift: () => new Promise(() => {}) });

    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('says a stack was never checked, and lets the owner check it', async () => {
    const mocks = await renderCard({
      getEntityDrift: async () => answer({}),
      detectEntityDrift: async () =>
        answer({
          status: 'IN_SYNC',
          checkedAt: new Date().toISOString(),
          resources: [
            {
              logicalId: 'Cluster',
              type: 'AWS::ECS::Cluster',
              status: 'IN_SYNC',
              differences: [],
            },
          ],
          detection: {
            id: 'd-1',
            status: 'DETECTION_COMPLETE',
            driftedResources: 0,
          },
        }),
    });

    expect(
      await screen.findByText('No drift detection has run yet.'),
    ).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Check drift' }));

    expect(
      await screen.findByLabelText('Stack drift: In sync'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Every checked resource matches the template (1 checked).',
      ),
    ).toBeInTheDocument();
    expect(mocks.detectEntityDrift).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'payments',
    });
  });

  it('shows what drifted: expected against actual, secrets masked, and the deleted resource', async () => {
    await renderCard({ getEntityDrift: async () => DRIFTED });

    expect(
      await screen.findByLabelText('Stack drift: Drifted'),
    ).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Drifted resources' });
    const classRow = within(table).getByText('/DBInstanceClass').closest('tr')!;
    expect(within(classRow).getByText('db.t4g.micro')).toBeInTheDocument();
    expect(within(classRow).getByText('db.m6g.large')).toBeInTheDocument();
    const passwordRow = within(table)
      .getByText('/MasterUserPassword')
      .closest('tr')!;
    expect(within(passwordRow).getAllByText('****')).toHaveLength(2);
    expect(within(table).getByText('LogGroup').closest('tr')).toHaveTextContent(
      'DeletedThe resource no longer exists.',
    );
    // Resources in sync are not listed.
    expect(within(table).queryByText('Cluster')).not.toBeInTheDocument();
  });

  it('shows a failed detection in CloudFormation words', async () => {
    await renderCard({
      getEntityDrift: async () => DRIFTED,
      detectEntityDrift: async () => ({
        ...DRIFTED,
        drift: {
          ...(
            DRIFTED as Extract<
              CloudFormationDriftAnswer,
              { status: 'available' }
            >
          ).drift,
          detection: {
            id: 'd-2',
            status: 'DETECTION_FAILED',
            reason: 'Failed to detect drift on resource [Database]',
          },
        },
      }),
    });

    fireEvent.click(await screen.findByRole('button', { name: 'Check drift' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Warning: Drift detection failed',
    );
    expect(
      screen.getByText('Failed to detect drift on resource [Database]'),
    ).toBeInTheDocument();
  });

  it('disables the action for a non-owner', async () => {
    await renderCard({
      getEntityDrift: async () =>
        answer({ status: 'IN_SYNC', checkedAt: hoursAgo(1) }, false),
    });

    expect(
      await screen.findByRole('button', { name: 'Check drift' }),
    ).toBeDisabled();
    expect(
      screen.getByTitle("Only the entity's owners may check drift"),
    ).toBeInTheDocument();
  });

  it('shows the refusal when the backend refuses a detection', async () => {
    await renderCard({
      getEntityDrift: async () =>
        answer({ status: 'IN_SYNC', checkedAt: hoursAgo(1) }),
      detectEntityDrift: async () => {
        throw new CloudFormationApiError(
          'Only the owners of component:default/payments may check its stack for drift',
          403,
        );
      },
    });

    fireEvent.click(await screen.findByRole('button', { name: 'Check drift' }));

    expect(
      await screen.findByText(/Only the owners of component:default\/payments/),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Stack drift: In sync')).toBeInTheDocument();
  });

  it('shows an error with a Retry button', async () => {
    let calls = 0;
    await renderCard({
      getEntityDrift: async () => {
        calls += 1;
        if (calls === 1)
          throw new CloudFormationApiError('CloudFormation is throttling', 503);
        return answer({ status: 'IN_SYNC', checkedAt: hoursAgo(1) });
      },
    });

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Error: Could not read the drift',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByLabelText('Stack drift: In sync'),
    ).toBeInTheDocument();
  });

  it('shows why AWS cannot be read', async () => {
    await renderCard({
      getEntityDrift: async () => ({
        status: 'unavailable',
        reason: 'access-denied',
        message: 'allow cloudformation:DescribeStacks',
      }),
    });

    expect(
      await screen.findByText('AWS denied Backstage access to this stack'),
    ).toBeInTheDocument();
  });
});
