import '@testing-library/jest-dom';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  ANNOTATION_CLOUDFORMATION_STACK_NAME,
  CloudFormationStack,
  CloudFormationStackAnswer,
} from '@golden-path/plugin-cloudformation-common';
import {
  CloudFormationApi,
  CloudFormationApiError,
  cloudFormationApiRef,
} from '../../api';
import { CloudFormationCard } from './CloudFormationCard';
import { IN_PROGRESS_POLL_MS } from './useEntityStack';

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

const minutesAgo = (minutes: number) =>
  new Date(Date.now() - minutes * 60_000).toISOString();

function stack(
  overrides: Partial<CloudFormationStack> = {},
): CloudFormationStack {
  return {
    stackName: 'payments-prod',
    stackId:
      'arn:aws:cloudformation:eu-west-1:123456789012:stack/payments-prod/1a2b',
    region: 'eu-west-1',
    accountId: '123456789012',
    status: 'CREATE_COMPLETE',
    phase: 'complete',
    createdAt: minutesAgo(60),
    lastUpdatedAt: minutesAgo(5),
    outputs: [
      {
        key: 'ServiceUrl',
        value: 'https://payments.example.com',
        description: 'Public URL of the service',
      },
      { key: 'ClusterName', value: 'payments-prod-cluster' },
    ],
    resources: [
      {
        logicalId: 'Database',
        type: 'AWS::RDS::DBInstance',
        status: 'CREATE_COMPLETE',
        description: 'PostgreSQL database (RDS)',
      },
      {
        logicalId: 'Service',
        type: 'AWS::ECS::Service',
        status: 'CREATE_COMPLETE',
      },
    ],
    events: [
      {
        id: 'e2',
        timestamp: minutesAgo(5),
        logicalId: 'payments-prod',
        resourceType: 'AWS::CloudFormation::Stack',
        status: 'CREATE_COMPLETE',
      },
      {
        id: 'e1',
        timestamp: minutesAgo(6),
        logicalId: 'Service',
        resourceType: 'AWS::ECS::Service',
        status: 'CREATE_COMPLETE',
      },
    ],
    consoleUrl:
      'https://eu-west-1.console.aws.amazon.com/cloudformation/home?region=eu-west-1#/stacks/stackinfo?stackId=x',
    ...overrides,
  };
}

const available = (
  overrides?: Partial<CloudFormationStack>,
): CloudFormationStackAnswer => ({
  status: 'available',
  retrievedAt: new Date().toISOString(),
  stack: stack(overrides),
});

/** CodeSnippet highlights tokens into separate elements; match the whole snippet. */
const codeContaining =
  (text: string) => (_content: string, element: Element | null) =>
    element?.tagName === 'CODE' && Boolean(element.textContent?.includes(text));

async function renderCard(getEntityStack: CloudFormationApi['getEntityStack']) {
  const api = { getEntityStack: jest.fn(getEntityStack) };
  await renderInTestApp(
    <TestApiProvider apis={[[cloudFormationApiRef, api]]}>
      <EntityProvider entity={entity}>
        <CloudFormationCard />
      </EntityProvider>
    </TestApiProvider>,
  );
  return api;
}

describe('CloudFormationCard', () => {
  afterEach(() => jest.useRealTimers());

  it('shows progress while the stack loads', async () => {
    await renderCard(() => new Promise(() => {}));
    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows a complete stack: status, last update, outputs with links, resources and events', async () => {
    const api = await renderCard(async () => available());

    expect(await screen.findByText('Create complete')).toBeInTheDocument();
    expect(api.getEntityStack).toHaveBeenCalledWith({
      kind: 'Component',
      namespace: 'default',
      name: 'payments',
    });
    expect(screen.getByText(/Last updated/)).toHaveTextContent(
      'Last updated 5 minutes ago',
    );
    expect(screen.getByText('payments-prod')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /^Open in the AWS console/ }),
    ).toHaveAttribute(
      'href',
      expect.stringContaining('console.aws.amazon.com'),
    );

    const outputs = screen.getByRole('table', { name: 'Outputs' });
    expect(
      within(outputs).getByRole('link', {
        name: /^https:\/\/payments\.example\.com/,
      }),
    ).toHaveAttribute('href', 'https://payments.example.com');
    expect(
      within(outputs).getByText('Public URL of the service'),
    ).toBeInTheDocument();
    // Only URLs become links.
    expect(
      within(outputs).getByText('payments-prod-cluster').closest('a'),
    ).toBeNull();

    fireEvent.click(screen.getByRole('tab', { name: 'Resources (2)' }));
    const resources = screen.getByRole('table', { name: 'Resources' });
    expect(
      within(resources).getByText('PostgreSQL database (RDS)'),
    ).toBeInTheDocument();
    expect(
      within(resources).getByText('Database · AWS::RDS::DBInstance'),
    ).toBeInTheDocument();
    expect(within(resources).getAllByText('Create complete')).toHaveLength(2);

    fireEvent.click(screen.getByRole('tab', { name: 'Events' }));
    const events = screen.getByRole('table', { name: 'Events' });
    expect(within(events).getAllByRole('row')).toHaveLength(3);
    expect(within(events).getByText('Service')).toBeInTheDocument();
  });

  it('shows an operation in progress and re-reads the stack until it settles', async () => {
    jest.useFakeTimers({
      doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'],
    });
    const inProgress = available({
      status: 'UPDATE_IN_PROGRESS',
      phase: 'in-progress',
      resources: [
        {
          logicalId: 'Database',
          type: 'AWS::RDS::DBInstance',
          status: 'UPDATE_COMPLETE',
        },
        {
          logicalId: 'Service',
          type: 'AWS::ECS::Service',
          status: 'UPDATE_IN_PROGRESS',
        },
      ],
      events: [
        {
          id: 'e3',
          timestamp: minutesAgo(0),
          logicalId: 'Service',
          status: 'UPDATE_IN_PROGRESS',
        },
      ],
    });
    const answers = [inProgress, available({ status: 'UPDATE_COMPLETE' })];
    const api = await renderCard(async () => answers.shift()!);

    expect(await screen.findByText('Update in progress')).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', { name: 'Stack operation in progress' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('status')).toHaveTextContent(
      'Update in progress: 1 of 2 resources in progress · latest: Service update in progress',
    );

    await act(async () => {
      jest.advanceTimersByTime(IN_PROGRESS_POLL_MS);
    });
    expect(await screen.findByText('Update complete')).toBeInTheDocument();
    expect(api.getEntityStack).toHaveBeenCalledTimes(2);
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();

    // Settled stacks are not polled.
    await act(async () => {
      jest.advanceTimersByTime(3 * IN_PROGRESS_POLL_MS);
    });
    expect(api.getEntityStack).toHaveBeenCalledTimes(2);
  });

  it('shows the root cause of a failed operation prominently', async () => {
    await renderCard(async () =>
      available({
        status: 'ROLLBACK_COMPLETE',
        phase: 'failed',
        failure: {
          logicalResourceId: 'Service',
          resourceType: 'AWS::ECS::Service',
          status: 'CREATE_FAILED',
          reason: 'CannotPullContainerError: pull access denied for payments',
          summary:
            'Service (AWS::ECS::Service) failed to create: CannotPullContainerError: pull access denied for payments.',
        },
      }),
    );

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Why the latest operation failed');
    expect(alert).toHaveTextContent(
      'Service (AWS::ECS::Service) failed to create: CannotPullContainerError: pull access denied for payments.',
    );
    expect(screen.getByText('Rollback complete')).toBeInTheDocument();
  });

  it('shows the root cause while the rollback is still running', async () => {
    await renderCard(async () =>
      available({
        status: 'ROLLBACK_IN_PROGRESS',
        phase: 'in-progress',
        failure: {
          logicalResourceId: 'Database',
          status: 'CREATE_FAILED',
          reason: 'DB subnet group is invalid',
          summary:
            'Database (AWS::RDS::DBInstance) failed to create: DB subnet group is invalid.',
        },
      }),
    );

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'DB subnet group is invalid.',
    );
    expect(
      screen.getByRole('progressbar', { name: 'Stack operation in progress' }),
    ).toBeInTheDocument();
  });

  it('falls back to the stack status reason when no root cause was found', async () => {
    await renderCard(async () =>
      available({
        status: 'UPDATE_ROLLBACK_COMPLETE',
        phase: 'failed',
        statusReason: 'Update cancelled',
      }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Why the latest operation failedUpdate cancelled',
    );
  });

  it('shows what to configure when AWS access is missing, not an error', async () => {
    await renderCard(async () => ({
      status: 'unavailable',
      reason: 'not-configured',
      message:
        'Backstage has no AWS credentials for account 123456789012: configure aws.mainAccount.',
    }));

    expect(
      await screen.findByText('AWS access is not configured for this stack'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Backstage has no AWS credentials for account 123456789012: configure aws.mainAccount.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        codeContaining('roleName: backstage-cloudformation-read'),
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows the IAM permissions to grant when AWS denies access', async () => {
    await renderCard(async () => ({
      status: 'unavailable',
      reason: 'access-denied',
      message:
        "AWS denied Backstage's credentials reading stack payments-prod.",
    }));

    expect(
      await screen.findByText('AWS denied Backstage access to this stack'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(codeContaining('cloudformation:DescribeStackEvents')),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('says so when the stack does not exist', async () => {
    await renderCard(async () => {
      throw new CloudFormationApiError(
        'Stack payments-prod was not found in region eu-west-1.',
        404,
      );
    });

    expect(await screen.findByText('Stack not found')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Stack payments-prod was not found in region eu-west-1.',
      ),
    ).toBeInTheDocument();
  });

  it('offers a retry when the backend fails', async () => {
    const answers: Array<() => CloudFormationStackAnswer> = [
      () => {
        throw new CloudFormationApiError(
          'CloudFormation is throttling requests; try again in a few seconds.',
          503,
        );
      },
      () => available(),
    ];
    const api = await renderCard(async () => answers.shift()!());

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Error: Could not read the stack',
    );
    expect(
      screen.getByText(
        'CloudFormation is throttling requests; try again in a few seconds.',
      ),
    ).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByText('Create complete')).toBeInTheDocument();
    expect(api.getEntityStack).toHaveBeenCalledTimes(2);
  });
});
