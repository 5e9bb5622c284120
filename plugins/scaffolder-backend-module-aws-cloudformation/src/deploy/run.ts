import type { Stack } from '@aws-sdk/client-cloudformation';
import type { ECSClient } from '@aws-sdk/client-ecs';
import type { CloudFormationStacks } from './cloudFormationStacks';
import {
  createRedactor,
  maskParameters,
  secretParameterValues,
} from './secrets';
import { digest, readTemplate, type TemplateFacts } from './template';
import type { DeployLogger, DeployRequest, DeployTimings } from './types';

/** One deploy: the request, what is derived from it once, and what it talks to. */
export type Run = {
  request: DeployRequest;
  template: TemplateFacts;
  /** `backstage:description` metadata by logical id, for the event and change lines. */
  descriptions: Record<string, string>;
  redact: (text: string) => string;
  hash: string;
  changeSetName: string;
  signal?: AbortSignal;
  /** The engine's log with the request's secret values masked. */
  log: DeployLogger;
  stacks: CloudFormationStacks;
  /** Explains failed ECS services by their stopped tasks. */
  ecs?: ECSClient;
  timings: DeployTimings;
};

// It becomes part of change set names and client tokens.
const IDEMPOTENCY_KEY = /^[a-zA-Z0-9-]{1,64}$/;

/** Checks the request and derives the run from it; `stacks` gets the run's masking log. */
export function prepareRun(
  request: DeployRequest,
  context: {
    logger: DeployLogger;
    stacks: (log: DeployLogger) => CloudFormationStacks;
    ecs?: ECSClient;
    timings: DeployTimings;
    signal?: AbortSignal;
  },
): Run {
  if (!IDEMPOTENCY_KEY.test(request.idempotencyKey)) {
    throw new Error(
      `idempotencyKey must be 1-64 letters, digits or hyphens, got "${request.idempotencyKey}"`,
    );
  }
  const template = readTemplate(request.templateBody);
  const noEcho = Object.keys(template.parameters).filter(
    key => template.parameters[key].noEcho,
  );
  const redact = createRedactor(
    secretParameterValues(request.parameters, noEcho),
  );
  // Masked values: the hash ends up in names and task state, where even a digest of a secret has no place.
  const hash = digest(
    request.stackName,
    request.templateBody,
    JSON.stringify(sortKeys(maskParameters(request.parameters, noEcho))),
    JSON.stringify(sortKeys(request.tags)),
    JSON.stringify([...request.capabilities].sort()),
    request.roleArn ?? '',
    request.onFailure,
  );
  const descriptions = Object.fromEntries(
    template.resources.flatMap(resource =>
      resource.description ? [[resource.logicalId, resource.description]] : [],
    ),
  );
  const { logger } = context;
  const log: DeployLogger = {
    info: message => logger.info(redact(message)),
    warn: message => logger.warn(redact(message)),
  };
  return {
    request,
    template,
    descriptions,
    redact,
    hash,
    changeSetName: `backstage-${request.idempotencyKey}-${hash.slice(0, 8)}`,
    signal: context.signal,
    log,
    stacks: context.stacks(log),
    ecs: context.ecs,
    timings: context.timings,
  };
}

/** The stack by id; `cancellable: false` for reads that must happen even after a cancel. */
export async function describeStack(
  run: Run,
  stackId: string,
  options: { cancellable?: boolean } = {},
): Promise<Stack> {
  const stack = await run.stacks.describeStack(stackId, {
    signal: options.cancellable === false ? undefined : run.signal,
  });
  if (!stack) {
    throw new Error(`CloudFormation returned no stack for ${stackId}`);
  }
  return stack;
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => a.localeCompare(b)),
  );
}
