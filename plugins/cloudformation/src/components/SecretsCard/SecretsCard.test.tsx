import '@testing-library/jest-dom';
import { fireEvent, screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  ANNOTATION_CLOUDFORMATION_STACK_NAME,
  CloudFormationSecret,
  CloudFormationSecretsAnswer,
} from '@golden-path/plugin-cloudformation-common';
import {
  CloudFormationApi,
  CloudFormationApiError,
  cloudFormationApiRef,
} from '../../api';
import { SecretsCard } from './SecretsCard';

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

const daysAgo = (days: number) =>
  new Date(Date.now() - days * 24 * 3600_000).toISOString();
const ARN =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:payments-prod/database-AbCdEf';
const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd';

function secret(
  overrides: Partial<CloudFormationSecret> = {},
  rotation: Record<string, unknown> = {},
): CloudFormationSecret {
  return {
    arn: ARN,
    source: { kind: 'resource', name: 'DatabaseSecret' },
    details: {
      status: 'available',
      name: 'payments-prod/database',
      key: {
        kind: 'customer',
        keyId: KEY,
        consoleUrl:
          'https://eu-west-1.console.aws.amazon.com/kms/home?region=eu-west-1#/kms/keys/1234abcd',
      },
      rotation: {
        enabled: true,
        intervalDays: 30,
        lastRotatedAt: daysAgo(3),
        nextRotationAt: new Date(Date.now() + 27 * 24 * 3600_000).toISOString(),
        functionArn:
          'arn:aws:lambda:eu-west-1:123456789012:function:payments-prod-rotation',
        pendingVersion: false,
        lastResult: { outcome: 'succeeded', at: daysAgo(3) },
        ...rotation,
      },
    },
    tasks: {
      status: 'available',
      state: 'current',
      serviceName: 'payments-prod',
      runningTasks: 2,
      staleTasks: 0,
      oldestTaskStartedAt: daysAgo(2),
    },
    readers: {
      status: 'available',
      truncated: false,
      readers: [
        {
          principal:
            'arn:aws:iam::123456789012:role/payments-prod-ExecutionRole-1A2B',
          kind: 'execution-role',
          unexpected: false,
          reads: 4,
          deniedReads: 0,
          lastReadAt: daysAgo(1),
          sourceAddresses: ['10.0.1.17'],
        },
      ],
    },
    ...overrides,
  };
}

const answer = (
  secrets: CloudFormationSecret[],
): CloudFormationSecretsAnswer => ({
  status: 'available',
  retrievedAt: new Date().toISOString(),
  windowDays: 7,
  secrets,
});

async function renderCard(
  getEntitySecrets: CloudFormationApi['getEntitySecrets'],
) {
  const api = { getEntitySecrets: jest.fn(getEntitySecrets) };
  await renderInTestApp(
    <TestApiProvider apis={[[cloudFormationApiRef, api]]}>
      <EntityProvider entity={entity}>
        <SecretsCard />
      </EntityProvider>
    </TestApiProvider>,
  );
  return api;
}

describe('SecretsCard', () => {
  it('shows a progress bar while loading', async () => {
    await renderCard(() => new Promise(() => {}));

    expect(screen.getByTestId('progress')).toBeInTheDocument();
  });

  it('shows the key, rotation, fresh tasks and the readers, nothing unexpected', async () => {
    const api = await renderCard(async () => answer([secret()]));

    expect(
      await screen.findByText('payments-prod/database'),
    ).toBeInTheDocument();
    expect(screen.getByText(KEY).closest('a')).toHaveAttribute(
      'href',
      expect.stringContaining('/kms/keys/1234abcd'),
    );
    expect(screen.getByText('Rotation on')).toBeInTheDocument();
    expect(
      screen.getByText(/every 30 days by payments-prod-rotation/),
    ).toBeInTheDocument();
    // Last rotated, and the last result CloudTrail recorded.
    expect(
      screen.getAllByText('3 days ago', { selector: 'time' }),
    ).toHaveLength(2);
    expect(screen.getByText(/^Succeeded/)).toHaveTextContent(
      'Succeeded 3 days ago',
    );
    expect(
      screen.getByText(
        /All 2 tasks of payments-prod started after the last rotation/,
      ),
    ).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Readers' });
    expect(within(table).getByText('Task execution role')).toBeInTheDocument();
    expect(
      screen.getByText(
        /Nothing unexpected: only the service and the rotation read this secret in the last 7 days/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('Unexpected reader')).not.toBeInTheDocument();
    expect(api.getEntitySecrets).toHaveBeenCalledWith(
      { kind: 'Component', namespace: 'default', name: 'payments' },
      { windowDays: 7 },
    );
  });

  it('highlights an unexpected reader', async () => {
    const readers = secret().readers as Extract<
      CloudFormationSecret['readers'],
      { status: 'available' }
    >;
    await renderCard(async () =>
      answer([
        secret({
          readers: {
            ...readers,
            readers: [
              {
                principal: 'arn:aws:iam::123456789012:user/mallory',
                kind: 'other',
                unexpected: true,
                reads: 1,
                deniedReads: 0,
                lastReadAt: daysAgo(0.5),
                sourceAddresses: ['203.0.113.9'],
              },
              ...readers.readers,
            ],
          },
        }),
      ]),
    );

    const row = (
      await screen.findByText('arn:aws:iam::123456789012:user/mallory')
    ).closest('tr')!;
    expect(within(row).getByText('Unexpected reader')).toBeInTheDocument();
    expect(within(row).getByText('203.0.113.9')).toBeInTheDocument();
    expect(
      screen.getByText(/1 unexpected reader in the last 7 days/),
    ).toBeInTheDocument();
  });

  it('shows rotation off', async () => {
    await renderCard(async () =>
      answer([
        secret(
          {},
          {
            enabled: false,
            intervalDays: undefined,
            lastRotatedAt: undefined,
            nextRotationAt: undefined,
            lastResult: undefined,
          },
        ),
      ]),
    );

    expect(await screen.findByText('Rotation off')).toBeInTheDocument();
    expect(screen.queryByText('Last rotated')).not.toBeInTheDocument();
    expect(
      screen.getByText('No rotation recorded in the window'),
    ).toBeInTheDocument();
  });

  it('shows a failed rotation', async () => {
    await renderCard(async () =>
      answer([
        secret(
          {},
          {
            pendingVersion: true,
            lastResult: { outcome: 'failed', at: daysAgo(1) },
          },
        ),
      ]),
    );

    expect(await screen.findByText(/Rotation failed/)).toHaveTextContent(
      'Rotation failed yesterday: a version is left AWSPENDING',
    );
  });

  it('warns when running tasks started before the last rotation', async () => {
    await renderCard(async () =>
      answer([
        secret({
          tasks: {
            status: 'available',
            state: 'stale',
            serviceName: 'payments-prod',
            runningTasks: 3,
            staleTasks: 2,
          },
        }),
      ]),
    );

    expect(
      await screen.findByText(
        /2 of 3 tasks of payments-prod started before the last rotation/,
      ),
    ).toHaveTextContent('redeploy the service');
  });

  it('says what to allow when CloudTrail is denied', async () => {
    await renderCard(async () =>
      answer([
        secret({
          readers: {
            status: 'unavailable',
            reason: 'access-denied',
            message:
              "CloudTrail LookupEvents not allowed for the portal's role: add cloudtrail:LookupEvents.",
          },
        }),
      ]),
    );

    expect(
      await screen.findByText(
        /Readers unavailable: CloudTrail LookupEvents not allowed/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('table', { name: 'Readers' }),
    ).not.toBeInTheDocument();
  });

  it('says nobody read it, for an empty window', async () => {
    await renderCard(async () =>
      answer([
        secret({
          readers: { status: 'available', truncated: false, readers: [] },
        }),
      ]),
    );

    expect(
      await screen.findByText('Nobody read this secret in the last 7 days.'),
    ).toBeInTheDocument();
  });

  it('has an empty state for a stack without secrets', async () => {
    await renderCard(async () => answer([]));

    expect(
      await screen.findByText('No secrets in this stack'),
    ).toBeInTheDocument();
  });

  it('shows why AWS cannot be read for the stack', async () => {
    await renderCard(async () => ({
      status: 'unavailable',
      reason: 'not-allowed',
      message: 'Region eu-west-3 is not in aws.cloudformation.allowedRegions.',
    }));

    expect(
      await screen.findByText(
        "This stack's AWS account or region is not allowed",
      ),
    ).toBeInTheDocument();
  });

  it('shows an error with a Retry button, and retries', async () => {
    let calls = 0;
    await renderCard(async () => {
      calls += 1;
      if (calls === 1)
        throw new CloudFormationApiError('CloudFormation is throttling', 503);
      return answer([secret()]);
    });

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Error: Could not read the secrets',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByText('payments-prod/database'),
    ).toBeInTheDocument();
  });

  it('reads again over another window', async () => {
    const api = await renderCard(async () => answer([secret()]));
    await screen.findByText('payments-prod/database');

    fireEvent.mouseDown(screen.getByRole('button', { name: 'Readers over' }));
    fireEvent.click(
      await screen.findByRole('option', { name: 'the last 90 days' }),
    );

    await screen.findByText('payments-prod/database');
    expect(api.getEntitySecrets).toHaveBeenLastCalledWith(expect.anything(), {
      windowDays: 90,
    });
  });
});
