import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { createLocalGitArchiveAction } from './archive';
import { examples } from './archive.examples';

describe('local:git:archive examples', () => {
  it.each(examples.map(example => [example.description, example] as const))(
    '%s',
    async (_description, example) => {
      const paths: string[] = [];
      const github = http.createServer((req, res) => {
        paths.push(`${req.method} ${req.url}`);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"archived":true}');
      });
      await new Promise<void>(resolve =>
        github.listen(0, '127.0.0.1', resolve),
      );
      try {
        const config = new ConfigReader({
          integrations: {
            github: [
              {
                host: 'github.example.com',
                apiBaseUrl: `http://127.0.0.1:${(github.address() as AddressInfo).port}`,
                token: 't',
              },
            ],
          },
        });
        const step = yaml.parse(example.example).steps[0];
        // The example's expression, as a task evaluates it for a service published to GitHub.
        const input = {
          ...step.input,
          repositoryUrl:
            'url:https://github.example.com/acme/orders/tree/main/',
          entityRef: 'component:default/orders',
        };
        const ctx = createMockActionContext({ input });
        await createLocalGitArchiveAction({
          config,
          discovery: mockServices.discovery(),
        }).handler(ctx);

        expect(paths).toEqual(['PATCH /repos/acme/orders']);
        expect(ctx.output).toHaveBeenCalledWith('archived', true);
      } finally {
        await new Promise<void>(resolve => github.close(() => resolve()));
      }
    },
  );
});
