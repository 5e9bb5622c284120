import type { LoggerService } from '@backstage/backend-plugin-api';

/**
 * Errors the person running the template can fix from the form: their message says what to change.
 * Everything else (a bug, an outage) keeps its stack trace in the task log too.
 */
const USER_ERROR_NAMES = new Set([
  'InputError',
  'NotAllowedError',
  'ConflictError',
]);

/**
 * The action, reporting user errors as one line in the task log. The scaffolder writes a failed
 * step's `error.stack` to the task log, which for a plain input error is a screen of `node_modules`
 * frames; the frames go to the backend log instead, the task log keeps `InputError: <message>`.
 *
 * @public
 */
export function reportUserErrorsInOneLine<
  A extends { id: string; handler: (ctx: never) => Promise<void> },
>(action: A, logger: LoggerService): A {
  return {
    ...action,
    handler: async (ctx: Parameters<A['handler']>[0]) => {
      try {
        return await action.handler(ctx);
      } catch (error) {
        if (error instanceof Error && USER_ERROR_NAMES.has(error.name)) {
          logger.info(`${action.id} refused its input: ${error.stack}`);
          Object.defineProperty(error, 'stack', {
            value: `${error.name}: ${error.message}`,
            configurable: true,
            writable: true,
          });
        }
        throw error;
      }
    },
  };
}
