import { ApiHolder } from '@backstage/frontend-plugin-api';
import {
  serviceNameProblem,
  ServiceNameAvailability,
} from '@golden-path/plugin-cloudformation-common';
import { cloudFormationApiRef, ServiceNameQuery } from '../../api';

/**
 * The `ui:options` both checks read. The blueprint names its stack from form values joined with
 * hyphens (`stackNameFields: [name, environment]` gives `orders-api-dev`), deployed where the
 * `deployTargetField` (an `AwsDeployTargetPicker`) points.
 */
export type ServiceNameCheckOptions = {
  stackNameFields?: string[];
  deployTargetField?: string;
};

type FormValues = Record<string, unknown> | undefined;

/** Where to look for the stack, once the form holds every value its name and place need. */
export function stackQueryOf(
  options: ServiceNameCheckOptions,
  formData: FormValues,
): ServiceNameQuery | undefined {
  const parts = (options.stackNameFields ?? []).map(field => formData?.[field]);
  const target = formData?.[options.deployTargetField ?? 'deployTarget'] as
    { accountId?: string; region?: string } | undefined;
  if (
    parts.length === 0 ||
    !parts.every(part => typeof part === 'string' && part) ||
    !target?.region
  )
    return undefined;
  return {
    stackName: parts.join('-'),
    accountId: target.accountId,
    region: target.region,
  };
}

/** One line for each use of the name, saying what to do. */
export function takenMessages(
  answer: ServiceNameAvailability,
  uses?: Array<ServiceNameAvailability['takenBy'][number]['use']>,
) {
  return answer.takenBy
    .filter(taken => !uses || uses.includes(taken.use))
    .map(taken => `${taken.message} Choose another name.`);
}

/**
 * What the field says of a name nothing else uses: free, or the developer's own earlier run of this
 * service that did not finish, which creating it with these values continues.
 */
export function availableMessage(
  answer: ServiceNameAvailability,
  stackChecked: boolean,
): string {
  const unchecked = answer.unchecked.map(entry => ` ${entry.message}`).join('');
  const later = stackChecked
    ? ''
    : ' Its stack is checked on the Deployment page.';
  if (answer.unfinishedRun) {
    const { taskId, status } = answer.unfinishedRun;
    const parts = answer.continues.map(entry => ` ${entry.message}`).join('');
    return (
      `An earlier run of ${answer.name} did not finish (task ${taskId}, ${status}): ` +
      `creating it continues that run instead of starting over.${parts}${later}${unchecked}`
    );
  }
  const checked = stackChecked
    ? 'catalog component, local repository or stack'
    : 'catalog component or local repository';
  return `${answer.name} is free: no ${checked} uses it.${later}${unchecked}`;
}

interface ValidationContext {
  apiHolder: ApiHolder;
  formData?: FormValues;
  uiSchema?: { 'ui:options'?: ServiceNameCheckOptions };
}

/**
 * Validation of `ui:field: ServiceNamePicker`, run when the developer leaves the page: the rule in
 * words, then the backend's answer on whether a component, repository or stack already uses it.
 */
export async function validateServiceName(
  value: string | undefined,
  validation: { addError: (message: string) => void },
  context: ValidationContext,
): Promise<void> {
  const problem = value ? serviceNameProblem(value) : undefined;
  if (problem) {
    validation.addError(problem);
    return;
  }
  if (!value) return;
  const api = context.apiHolder.get(cloudFormationApiRef);
  if (!api) return;
  const options = context.uiSchema?.['ui:options'] ?? {};
  // A name the backend cannot check is not refused here: the task itself refuses a taken name.
  const answer = await api
    .checkServiceName(value, stackQueryOf(options, context.formData))
    .catch(() => undefined);
  if (answer)
    takenMessages(answer).forEach(message => validation.addError(message));
}

/**
 * Extra validation of `ui:field: AwsDeployTargetPicker` with `ui:options.stackNameFields`: on the
 * page where the account and region are chosen, the service's stack must not exist there yet.
 */
export async function validateStackIsFree(
  value: unknown,
  validation: { addError: (message: string) => void },
  context: ValidationContext,
): Promise<void> {
  const options = context.uiSchema?.['ui:options'] ?? {};
  const query = stackQueryOf(options, {
    ...context.formData,
    [options.deployTargetField ?? 'deployTarget']: value,
  });
  const name = options.stackNameFields?.[0]
    ? context.formData?.[options.stackNameFields[0]]
    : undefined;
  const api = context.apiHolder.get(cloudFormationApiRef);
  if (!query || typeof name !== 'string' || !api || serviceNameProblem(name))
    return;
  const answer = await api.checkServiceName(name, query).catch(() => undefined);
  if (answer)
    takenMessages(answer, ['stack']).forEach(message =>
      validation.addError(message),
    );
}
