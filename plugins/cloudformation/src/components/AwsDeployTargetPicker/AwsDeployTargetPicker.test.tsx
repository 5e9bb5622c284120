import '@testing-library/jest-dom';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { TemplateParameterSchema } from '@backstage/plugin-scaffolder-react';
import { Stepper } from '@backstage/plugin-scaffolder-react/alpha';
import { CloudFormationDeployTargets } from '@golden-path/plugin-cloudformation-common';
import {
  CloudFormationApi,
  CloudFormationApiError,
  cloudFormationApiRef,
} from '../../api';
import { AwsDeployTargetPicker } from './AwsDeployTargetPicker';
import { deployTargetProblems, validateAwsDeployTarget } from './deployTarget';

const PAYMENTS = { accountId: '111122223333', label: 'Payments production' };
const SANDBOX = { accountId: '444455556666' };

/** The Deployment page of a template, as the README shows it. */
const manifest: TemplateParameterSchema = {
  title: 'A service on AWS',
  steps: [
    {
      title: 'Deployment',
      schema: {
        required: ['deployTarget'],
        properties: {
          deployTarget: {
            title: 'AWS account and region',
            description: 'Where the stack is deployed.',
            type: 'object',
            'ui:field': 'AwsDeployTargetPicker',
            required: ['accountId', 'region'],
            properties: {
              accountId: {
                title: 'AWS account',
                type: 'string',
                pattern: '^\\d{12}$',
              },
              region: { title: 'AWS region', type: 'string' },
            },
            default: { accountId: '123456789012', region: 'us-east-1' },
          },
        },
      },
    },
  ],
};

const field = {
  name: 'AwsDeployTargetPicker',
  component: AwsDeployTargetPicker,
  validation: validateAwsDeployTarget,
};

/** The scaffolder's own form wizard with the field, against a backend answering `getDeployTargets`. */
async function renderForm(
  getDeployTargets: CloudFormationApi['getDeployTargets'],
) {
  const api = { getDeployTargets: jest.fn(getDeployTargets) };
  const onCreate = jest.fn(async (_values: unknown) => {});
  await renderInTestApp(
    <TestApiProvider apis={[[cloudFormationApiRef, api]]}>
      <Stepper manifest={manifest} extensions={[field]} onCreate={onCreate} />
    </TestApiProvider>,
  );
  return { api, onCreate };
}

const accountSelect = () => screen.findByLabelText(/^AWS account/);
const regionSelect = () => screen.findByLabelText(/^AWS region/);
const optionsOf = (select: HTMLElement) =>
  within(select)
    .getAllByRole('option')
    .map(option => option.textContent);

async function reviewAndCreate() {
  await act(async () =>
    fireEvent.click(screen.getByRole('button', { name: 'Review' })),
  );
  await act(async () =>
    fireEvent.click(await screen.findByRole('button', { name: 'Create' })),
  );
}

describe('AwsDeployTargetPicker', () => {
  // The Stepper scrolls to the top on every step; jsdom does not implement scrolling.
  beforeEach(() => jest.spyOn(window, 'scrollTo').mockImplementation(() => {}));
  afterEach(() => jest.restoreAllMocks());

  it('offers the allowed accounts with their labels and the allowed regions, and hands on the choice', async () => {
    const { onCreate } = await renderForm(async () => ({
      accounts: [PAYMENTS, SANDBOX],
      regions: ['eu-west-1', 'eu-central-1'],
      defaultRegion: 'eu-central-1',
    }));

    const account = await accountSelect();
    // The template's default is not allowed here, and with two accounts the developer must choose.
    expect(account).toHaveValue('');
    expect(optionsOf(account)).toEqual([
      '',
      'Payments production (111122223333)',
      '444455556666',
    ]);
    expect(await regionSelect()).toHaveValue('eu-central-1');
    expect(optionsOf(await regionSelect())).toEqual([
      'eu-west-1',
      'eu-central-1',
    ]);

    fireEvent.change(account, { target: { value: '444455556666' } });
    fireEvent.change(await regionSelect(), { target: { value: 'eu-west-1' } });
    await reviewAndCreate();

    await waitFor(() =>
      expect(onCreate).toHaveBeenCalledWith({
        deployTarget: { accountId: '444455556666', region: 'eu-west-1' },
      }),
    );
  });

  it('keeps an allowed template default and takes the only allowed account by itself', async () => {
    const { onCreate } = await renderForm(async () => ({
      accounts: [PAYMENTS],
      regions: ['eu-west-1', 'us-east-1'],
    }));

    expect(await accountSelect()).toHaveValue('111122223333');
    expect(await regionSelect()).toHaveValue('us-east-1');
    await reviewAndCreate();

    await waitFor(() =>
      expect(onCreate).toHaveBeenCalledWith({
        deployTarget: { accountId: '111122223333', region: 'us-east-1' },
      }),
    );
  });

  it('does not let the developer go on with an account outside the allowlist', async () => {
    const { onCreate } = await renderForm(async () => ({
      accounts: [PAYMENTS, SANDBOX],
      regions: ['eu-west-1'],
    }));
    expect(await regionSelect()).toHaveValue('eu-west-1');

    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Review' })),
    );

    expect(
      await screen.findByText(
        'AWS account 123456789012 is not allowed for deploys; choose one of 111122223333, 444455556666.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Create' }),
    ).not.toBeInTheDocument();
    expect(onCreate).not.toHaveBeenCalled();
  });

  it('shows progress while the allowlist loads', async () => {
    await renderForm(() => new Promise(() => {}));

    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    expect(screen.queryByLabelText(/^AWS account/)).not.toBeInTheDocument();
  });

  it('tells the platform engineer which keys to set when nothing is allowed', async () => {
    await renderForm(async () => ({ accounts: [], regions: [] }));

    expect(
      await screen.findByText(
        'Warning: No AWS accounts or regions are allowed for deploys',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Nothing can be deployed from this portal until a platform engineer sets aws.cloudformation.allowedAccountIds ' +
          'and aws.cloudformation.allowedRegions (or aws.cloudformation.defaultRegion) in the app-config.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByLabelText(/^AWS account/)).not.toBeInTheDocument();

    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Review' })),
    );

    expect(
      await screen.findByText(
        'Deploys are not configured in this portal: ask a platform engineer to set aws.cloudformation.allowedAccountIds ' +
          'and aws.cloudformation.allowedRegions (or aws.cloudformation.defaultRegion).',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Create' }),
    ).not.toBeInTheDocument();
  });

  it('names only the missing key when regions are allowed but no account is', async () => {
    await renderForm(async () => ({
      accounts: [],
      regions: ['eu-west-1'],
      defaultRegion: 'eu-west-1',
    }));

    expect(
      await screen.findByText(
        'Nothing can be deployed from this portal until a platform engineer sets aws.cloudformation.allowedAccountIds in the app-config.',
      ),
    ).toBeInTheDocument();
  });

  it('shows why the allowlist could not be loaded, and loads it again on retry', async () => {
    let fail = true;
    const { api } = await renderForm(async () => {
      if (fail) throw new CloudFormationApiError('Service unavailable', 503);
      return { accounts: [PAYMENTS], regions: ['eu-west-1'] };
    });

    expect(
      await screen.findByText(
        'Error: Could not load the allowed AWS accounts and regions',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Service unavailable')).toBeInTheDocument();

    fail = false;
    await act(async () =>
      fireEvent.click(screen.getByRole('button', { name: 'Retry' })),
    );

    expect(await accountSelect()).toHaveValue('111122223333');
    expect(api.getDeployTargets).toHaveBeenCalledTimes(2);
  });
});

describe('the deploy target rules', () => {
  const targets: CloudFormationDeployTargets = {
    accounts: [PAYMENTS, SANDBOX],
    regions: ['eu-west-1', 'eu-central-1'],
  };

  it('accepts an allowed account and region', () => {
    expect(
      deployTargetProblems(
        { accountId: '111122223333', region: 'eu-central-1' },
        targets,
      ),
    ).toEqual([]);
  });

  it('asks for both parts', () => {
    expect(deployTargetProblems(undefined, targets)).toEqual([
      'Choose the AWS account to deploy to.',
      'Choose the AWS region to deploy to.',
    ]);
  });

  it('wants 12-digit accounts, and accounts and regions from the allowlist', () => {
    expect(
      deployTargetProblems({ accountId: '1234', region: 'eu-west-1' }, targets),
    ).toEqual(['AWS account id "1234" must be 12 digits.']);
    expect(
      deployTargetProblems(
        { accountId: '999999999999', region: 'us-east-1' },
        targets,
      ),
    ).toEqual([
      'AWS account 999999999999 is not allowed for deploys; choose one of 111122223333, 444455556666.',
      'Region us-east-1 is not allowed for deploys; choose one of eu-west-1, eu-central-1.',
    ]);
  });

  it('says deploys are not configured when the allowlist is empty', () => {
    expect(
      deployTargetProblems(
        { accountId: '111122223333', region: 'eu-west-1' },
        { accounts: [PAYMENTS], regions: [] },
      ),
    ).toEqual([
      'Deploys are not configured in this portal: ask a platform engineer to set ' +
        'aws.cloudformation.allowedRegions (or aws.cloudformation.defaultRegion).',
    ]);
  });

  it('validates against the allowlist the backend answers, and says when it cannot be loaded', async () => {
    const addError = jest.fn();
    const apiHolder = (api: Partial<CloudFormationApi>) => ({
      get: (ref: { id: string }) =>
        ref.id === cloudFormationApiRef.id ? api : undefined,
    });

    await validateAwsDeployTarget(
      { accountId: '999999999999', region: 'eu-west-1' },
      { addError },
      {
        apiHolder: apiHolder({ getDeployTargets: async () => targets }),
      } as never,
    );
    await validateAwsDeployTarget(
      { accountId: '111122223333', region: 'eu-west-1' },
      { addError },
      {
        apiHolder: apiHolder({
          getDeployTargets: async () => {
            throw new CloudFormationApiError('Missing credentials', 401);
          },
        }),
      } as never,
    );

    expect(addError.mock.calls).toEqual([
      [
        'AWS account 999999999999 is not allowed for deploys; choose one of 111122223333, 444455556666.',
      ],
      [
        'Could not load the allowed AWS accounts and regions: Missing credentials',
      ],
    ]);
  });
});
