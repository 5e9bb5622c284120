import { stat } from 'node:fs/promises';
import path from 'node:path';
import express from 'express';
import Router from 'express-promise-router';
import { AuthService, HttpAuthService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ServiceNameAvailability,
  serviceNameProblem,
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

/**
 * `GET /service-names/:name?stackName=&accountId=&region=`: whether a new golden-path service may
 * take the name — no catalog Component of that name, no locally published repository and, when a
 * stack name and region are given, no stack of that name there. The form asks while the name is typed.
 */
export function createServiceNameRouter(options: {
  httpAuth: HttpAuthService;
  auth: AuthService;
  config: Config;
  catalog: CatalogService;
  stacks: StackService;
}): express.Router {
  const { httpAuth, auth, config, catalog, stacks } = options;
  const router = Router();

  router.get('/service-names/:name', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const name = req.params.name;
    const problem = serviceNameProblem(name);
    if (problem) throw new InputError(problem);
    const { stackName, accountId, region } = readWhere(req.query);

    const answer: ServiceNameAvailability = {
      name: name,
      available: true,
      takenBy: [],
      unchecked: [],
    };
    // The backend's own credentials: an entity the caller may not read still takes the name.
    const entity = await catalog.getEntityByRef(`component:default/${name}`, {
      credentials: await auth.getOwnServiceCredentials(),
    });
    if (entity) {
      answer.takenBy.push({
        use: 'catalog',
        message: `The catalog already has a component named ${name}.`,
      });
    }
    const root = path.resolve(
      config.getOptionalString(LOCAL_PUBLISH_ROOT_KEY) ??
        LOCAL_PUBLISH_DEFAULT_ROOT,
    );
    if (
      await stat(path.join(root, name)).then(
        () => true,
        () => false,
      )
    ) {
      answer.takenBy.push({
        use: 'repository',
        message: `A local repository named ${name} already exists.`,
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
