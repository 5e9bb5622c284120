import { mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { reportUserErrorsInOneLine } from './userErrors';

// The deploy engine's error, as this module knows it: by name (the engine lives in a scaffolder
// module, which a node library may not import).
class CloudFormationDeployError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = 'CloudFormationDeployError';
  }
}

function failingAction(error: Error) {
  return createTemplateAction({
    id: 'test:fail',
    schema: { input: {} },
    async handler() {
      throw error;
    },
  });
}

describe('reportUserErrorsInOneLine', () => {
  it('leaves one line in the task log for an input error, and the frames in the backend log', async () => {
    const logger = mockServices.logger.mock();
    const action = reportUserErrorsInOneLine(
      failingAction(
        new InputError('minCapacity: must not exceed maxCapacity (3)'),
      ),
      logger,
    );

    const error = await action
      .handler(createMockActionContext({ input: {} }))
      .catch(e => e);

    expect(error).toBeInstanceOf(InputError);
    expect(String(error.stack)).toBe(
      'InputError: minCapacity: must not exceed maxCapacity (3)',
    );
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringMatching(
        /^test:fail refused its input: InputError: minCapacity.*\n\s+at /s,
      ),
    );
  });

  it("leaves one line for a deploy's own failure, which says what failed and what the next run does", async () => {
    const logger = mockServices.logger.mock();
    const message =
      'Deploying stack orders-dev failed: Database (AWS::RDS::DBInstance) failed to create: quota. ' +
      'The stack is ROLLBACK_COMPLETE: nothing was kept; the next deploy for this entity deletes the stack and creates it again.';
    const action = reportUserErrorsInOneLine(
      failingAction(new CloudFormationDeployError('stackFailed', message)),
      logger,
    );

    const error = await action
      .handler(createMockActionContext({ input: {} }))
      .catch(e => e);

    expect(String(error.stack)).toBe(`CloudFormationDeployError: ${message}`);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringMatching(
        /^test:fail failed: CloudFormationDeployError: Deploying.*\n\s+at /s,
      ),
    );
  });

  it('keeps the stack trace of an unexpected error', async () => {
    const logger = mockServices.logger.mock();
    const action = reportUserErrorsInOneLine(
      failingAction(new TypeError('undefined is not a function')),
      logger,
    );

    const error = await action
      .handler(createMockActionContext({ input: {} }))
      .catch(e => e);

    expect(String(error.stack)).toMatch(
      /^TypeError: undefined is not a function\n\s+at /,
    );
    expect(logger.info).not.toHaveBeenCalled();
  });
});
