import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import express from 'express';
import Router from 'express-promise-router';
import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import {
  CONTINUABLE_STACK_STATUSES,
  EarlierTask,
  parsePublishRecord,
  PUBLISH_RECORD_FILE,
  ServiceNameAvailability,
  serviceNameProblem,
  unfinishedRunRefusal,
} from '@golden-path/plugin-cloudformation-common';
import { StackService } from './StackService';

/** The key (and default) `local:git:publish` writes repositories under, one folder per name. */
const LOCAL_PUBLISH_ROOT_KEY = 'scaffolder.localPublish.rootDirectory';
const LOCAL_PUBLISH_DEFAULT_ROOT = './data/repositories';

/** The optional query parameters, checked by hand (one string each) with messages in words. */
function readWhere(query: Record<string, unknown>) {
  const text = (key: string) =>
    typeof query[key] === 'string' && query[key]
      ? (query[key] as string)
      : undefined;
  const where = {
    stackName: text('stackName'),
    accountId: text('accountId'),
    region: text('region'),
  };
  if (where.stackName && where.stackName.length > 128)
    throw new InputError('stackName must have at most 128 characters.');
  if (where.accountId && !/^\d{12}$/.test(where.accountId))
    throw new InputError('accountId must be 12 digits.');
  if (where.region && !/^[a-z]{2,}(?:-[a-z]+)+-\d+$/.test(where.region)) {
    throw new InputError(
      'region must be an AWS region name such as us-east-1.',
    );
  }
  return where;
}

/** The user a request is made for (`user:…`); undefined for a service token. */
function callerOf(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
  };
  return principal.type === 'user' ? principal.userEntityRef : undefined;
}

/**
 * `GET /service-names/:name?stackName=&accountId=&region=`: whether a new golden-path service may
 * take the name — no catalog Component of that name, no locally published repository and, when a
 * stack name and region are given, no stack of that name there. The form asks while the name is typed.
 *
 * Only the caller's own earlier run of this service that did not finish does not take the name (the
 * rule is `unfinishedRunRefusal`): its repository, the Component registered from it and the stack
 * tagged for it in a state the deploy continues from are listed under `continues` instead.
 */
export function createServiceNameRouter(options: {
  httpAuth: HttpAuthService;
  auth: AuthService;
  config: Config;
  catalog: CatalogService;
  stacks: StackService;
  discovery: DiscoveryService;
  scaffolder: ScaffolderService;
}): express.Router {
  const { httpAuth, auth, config, catalog, stacks, discovery, scaffolder } =
    options;
  const router = Router();

  /** How the scaffolder says the task ended; undefined when it does not know it. */
  async function earlierTask(taskId: string): Promise<EarlierTask | undefined> {
    const task = await scaffolder
      .getTask(
        { taskId },
        { credentials: await auth.getOwnServiceCredentials() },
      )
      .catch(() => undefined);
    return task
      ? { status: task.status, createdBy: task.spec.user?.ref }
      : undefined;
  }

  /** Whether the Component was registered from the local repository of that name. */
  async function registeredFromRepository(entity: Entity, name: string) {
    const location =
      entity.metadata.annotations?.['backstage.io/managed-by-location'] ?? '';
    const repository = `url:${await discovery.getExternalBaseUrl('local-git')}/repos/${name}/`;
    return location.startsWith(repository);
  }

  router.get('/service-names/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const name = req.params.name;
    const problem = serviceNameProblem(name);
    if (problem) throw new InputError(problem);
    const { stackName, accountId, region } = readWhere(req.query);
    const entityRef = `component:default/${name}`;

    const answer: ServiceNameAvailability = {
      name: name,
      available: true,
      takenBy: [],
      unchecked: [],
      continues: [],
    };

    const root = path.resolve(
      config.getOptionalString(LOCAL_PUBLISH_ROOT_KEY) ??
        LOCAL_PUBLISH_DEFAULT_ROOT,
    );
    const repository = path.join(root, name);
    const repositoryExists = await stat(repository).then(
      () => true,
      () => false,
    );
    // Why an unfinished run's repository is not continued (someone else's, still running); a
    // finished service's needs no reason beyond being taken.
    let notContinued: string | undefined;
    if (repositoryExists) {
      const record = await readFile(
        path.join(repository, PUBLISH_RECORD_FILE),
        'utf8',
      ).then(parsePublishRecord, () => undefined);
      if (record) {
        const earlier = await earlierTask(record.taskId);
        const refusal = unfinishedRunRefusal(record, earlier, {
          entityRef,
          createdBy: callerOf(credentials),
        });
        if (refusal && earlier && earlier.status !== 'completed')
          notContinued = refusal;
        if (!refusal && earlier)
          answer.unfinishedRun = {
            taskId: record.taskId,
            status: earlier.status,
          };
      }
    }
    const unfinished = answer.unfinishedRun;

    // The backend's own credentials: an entity the caller may not read still takes the name.
    const entity = await catalog.getEntityByRef(entityRef, {
      credentials: await auth.getOwnServiceCredentials(),
    });
    if (
      entity &&
      unfinished &&
      (await registeredFromRepository(entity, name))
    ) {
      answer.continues.push({
        use: 'catalog',
        message: `Its component ${name} in the catalog is refreshed.`,
      });
    } else if (entity) {
      answer.takenBy.push({
        use: 'catalog',
        message: `The catalog already has a component named ${name}.`,
      });
    }
    if (repositoryExists && unfinished) {
      answer.continues.push({
        use: 'repository',
        message: `Its local repository ${name} is kept and gets this run's files.`,
      });
    } else if (repositoryExists) {
      answer.takenBy.push({
        use: 'repository',
        message:
          `A local repository named ${name} already exists.` +
          (notContinued
            ? ` It is not an unfinished run of yours to continue: ${notContinued}.`
            : ''),
      });
    }
    if (stackName && region) {
      const stack = await stacks.findStackStatus(stackName, region, accountId);
      const place = `${region}${accountId ? ` of account ${accountId}` : ''}`;
      if ('unchecked' in stack) {
        answer.unchecked.push({
          use: 'stack',
          message: `Could not check for stack ${stackName} in ${place}: ${stack.unchecked}`,
        });
      } else if (
        stack.status &&
        unfinished &&
        CONTINUABLE_STACK_STATUSES.includes(stack.status) &&
        stack.entityRef?.toLowerCase() === entityRef
      ) {
        answer.continues.push({
          use: 'stack',
          message: `Its stack ${stackName} (${stack.status}) is deployed again.`,
        });
      } else if (stack.status) {
        answer.takenBy.push({
          use: 'stack',
          message: `Stack ${stackName} already exists in ${place} (${stack.status}).`,
        });
      }
    }
    answer.available = answer.takenBy.length === 0;
    res.json(answer);
  });

  return router;
}
