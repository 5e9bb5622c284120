import { ServiceNameAvailability } from '@golden-path/plugin-cloudformation-common';
import { cloudFormationApiRef } from '../../api';
import {
  availableMessage,
  stackQueryOf,
  validateServiceName,
  validateStackIsFree,
} from './serviceNameCheck';

const options = {
  stackNameFields: ['name', 'environment'],
  deployTargetField: 'deployTarget',
};
const taken: ServiceNameAvailability = {
  name: 'orders-api',
  available: false,
  takenBy: [
    {
      use: 'catalog',
      message: 'The catalog already has a component named orders-api.',
    },
    {
      use: 'stack',
      message:
        'Stack orders-api-dev already exists in us-east-1 (CREATE_COMPLETE).',
    },
  ],
  unchecked: [],
  continues: [],
};

function apiHolderWith(checkServiceName: jest.Mock) {
  return {
    get: (ref: unknown) =>
      ref === cloudFormationApiRef ? { checkServiceName } : undefined,
  } as never;
}

describe('the service name checks', () => {
  it('names the stack from the form values once the account and region are known', () => {
    expect(
      stackQueryOf(options, { name: 'orders-api', environment: 'dev' }),
    ).toBeUndefined();
    expect(
      stackQueryOf(options, {
        name: 'orders-api',
        environment: 'dev',
        deployTarget: { accountId: '123456789012', region: 'us-east-1' },
      }),
    ).toEqual({
      stackName: 'orders-api-dev',
      accountId: '123456789012',
      region: 'us-east-1',
    });
  });

  it('states the naming rule in words without asking the backend', async () => {
    const check = jest.fn();
    const addError = jest.fn();

    await validateServiceName(
      'Orders--API',
      { addError },
      { apiHolder: apiHolderWith(check) },
    );

    expect(addError).toHaveBeenCalledWith(
      'The name Orders--API is not allowed: use 2 to 28 characters: lowercase letters, digits and single hyphens, ' +
        'starting with a letter and ending with a letter or digit.',
    );
    expect(check).not.toHaveBeenCalled();
  });

  it('refuses a taken name with what uses it and what to do', async () => {
    const addError = jest.fn();

    await validateServiceName(
      'orders-api',
      { addError },
      { apiHolder: apiHolderWith(jest.fn(async () => taken)) },
    );

    expect(addError.mock.calls).toEqual([
      [
        'The catalog already has a component named orders-api. Choose another name.',
      ],
      [
        'Stack orders-api-dev already exists in us-east-1 (CREATE_COMPLETE). Choose another name.',
      ],
    ]);
  });

  it('does not block the form when the backend cannot answer', async () => {
    const addError = jest.fn();

    await validateServiceName(
      'orders-api',
      { addError },
      {
        apiHolder: apiHolderWith(
          jest.fn(async () => Promise.reject(new Error('down'))),
        ),
      },
    );

    expect(addError).not.toHaveBeenCalled();
  });

  it('checks the stack on the deploy target page, reporting only the stack', async () => {
    const check = jest.fn(async () => taken);
    const addError = jest.fn();

    await validateStackIsFree(
      { accountId: '123456789012', region: 'us-east-1' },
      { addError },
      {
        apiHolder: apiHolderWith(check),
        formData: { name: 'orders-api', environment: 'dev' },
        uiSchema: {
          'ui:options': { stackNameFields: ['name', 'environment'] },
        },
      },
    );

    expect(check).toHaveBeenCalledWith('orders-api', {
      stackName: 'orders-api-dev',
      accountId: '123456789012',
      region: 'us-east-1',
    });
    expect(addError.mock.calls).toEqual([
      [
        'Stack orders-api-dev already exists in us-east-1 (CREATE_COMPLETE). Choose another name.',
      ],
    ]);
  });

  it.each([
    [
      'a free name, stack not yet checked',
      { continues: [] },
      false,
      'orders-api is free: no catalog component or local repository uses it. Its stack is checked on the Deployment page.',
    ],
    [
      'a free name, stack checked, with what could not be checked',
      {
        continues: [],
        unchecked: [
          {
            use: 'stack' as const,
            message: 'Could not check for stack orders-api-dev in us-east-1.',
          },
        ],
      },
      true,
      'orders-api is free: no catalog component, local repository or stack uses it. Could not check for stack orders-api-dev in us-east-1.',
    ],
    [
      'the earlier unfinished run of this service',
      {
        unfinishedRun: { taskId: 'task-1', status: 'failed' },
        continues: [
          {
            use: 'repository' as const,
            message:
              "Its local repository orders-api is kept and gets this run's files.",
          },
          {
            use: 'stack' as const,
            message:
              'Its stack orders-api-dev (ROLLBACK_COMPLETE) is deployed again.',
          },
        ],
      },
      true,
      'An earlier run of orders-api did not finish (task task-1, failed): creating it continues that run instead of starting over. ' +
        "Its local repository orders-api is kept and gets this run's files. Its stack orders-api-dev (ROLLBACK_COMPLETE) is deployed again.",
    ],
  ])('says of %s what it is', (_case, answer, stackChecked, message) => {
    expect(
      availableMessage(
        {
          name: 'orders-api',
          available: true,
          takenBy: [],
          unchecked: [],
          ...answer,
        },
        stackChecked,
      ),
    ).toBe(message);
  });
});
