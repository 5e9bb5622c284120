import type { LoggerService } from '@backstage/backend-plugin-api';

/**
 * Errors whose message is all the person running the template needs, with what the backend log
 * says of them: input errors say what to change; the deploy's own failures give CloudFormation's
 * reason, the stack's state and what the next run does. Everything else (a bug, an outage) keeps
 * its stack trace in the task log too.
 */
const USER_ERRORS = new Map([
  ['InputError', 'refused its input'],
  ['NotAllowedError', 'refused its input'],
  ['ConflictError', 'refused its input'],
  ['CloudFormationDeployError', 'failed'],
]);

/**
 * The action, reporting user errors as one line in the task log. The scaffolder writes a failed
 * step's `error.stack` to the task log, which for a plain input error is a screen of `node_modules`
 * frames (whose `Class.method` names the log viewer even turns into links); the frames go to the
 * backend log instead, the task log keeps `InputError: <message>`.
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
        const what = error instanceof Error && USER_ERRORS.get(error.name);
        if (error instanceof Error && what) {
          logger.info(`${action.id} ${what}: ${error.stack}`);
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
