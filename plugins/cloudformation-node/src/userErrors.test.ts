import { mockServices } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { reportUserErrorsInOneLine } from './userErrors';

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
