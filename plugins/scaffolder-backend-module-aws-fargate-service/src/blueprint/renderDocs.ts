import { METADATA_DESCRIPTION_KEY } from '@golden-path/plugin-cloudformation-common';
import type { FargateServiceSpec } from './input';
import { referencesIn } from './intrinsics';
import { securityControls } from './securityControls';
import type { DiagramGroup, StackModel } from './stack';

const GROUP_TITLES: Record<DiagramGroup, string> = {
  network: 'Network',
  loadBalancing: 'Load balancing',
  compute: 'ECS on Fargate',
  database: 'Database',
  secrets: 'Secrets and keys',
  automation: 'Redeploy after rotation',
};

/** One row per resource of the stack, as the action reports them. */
export type ResourceSummary = {
  logicalId: string;
  type: string;
  description: string;
};

export function resourceSummaries(model: StackModel): ResourceSummary[] {
  return Object.entries(model.template.Resources).map(
    ([logicalId, resource]) => ({
      logicalId,
      type: resource.Type,
      description: resource.Metadata[METADATA_DESCRIPTION_KEY],
    }),
  );
}

/**
 * Mermaid flowchart of the stack. Nodes are the model's diagram resources, edges the references
 * between them in the template itself, so the picture cannot disagree with what is deployed.
 */
export function renderMermaid(model: StackModel): string {
  const { Resources } = model.template;
  const shown = new Set(Object.keys(model.diagramGroups));
  const lines = ['flowchart LR'];
  const entryPoint = model.entryPoint.logicalId;
  const internetFacing =
    Resources[entryPoint]?.Properties.Scheme === 'internet-facing';
  lines.push(
    `  Clients(["${internetFacing ? 'Clients on the internet' : 'Clients in the VPC'}"])`,
  );
  for (const group of Object.keys(GROUP_TITLES) as DiagramGroup[]) {
    const members = [...shown].filter(
      logicalId => model.diagramGroups[logicalId] === group,
    );
    if (members.length === 0) continue;
    lines.push(`  subgraph group_${group}["${GROUP_TITLES[group]}"]`);
    for (const logicalId of members) {
      lines.push(
        `    ${logicalId}["${mermaidText(Resources[logicalId].Metadata[METADATA_DESCRIPTION_KEY])}<br/><small>${logicalId}: ${Resources[logicalId].Type}</small>"]`,
      );
    }
    lines.push('  end');
  }
  lines.push(`  Clients --> ${entryPoint}`);
  for (const logicalId of shown) {
    const targets = new Set(
      referencesIn(Resources[logicalId].Properties).filter(
        target => shown.has(target) && target !== logicalId,
      ),
    );
    for (const target of targets) lines.push(`  ${logicalId} --> ${target}`);
  }
  return lines.join('\n');
}

/** docs/architecture.md: what was built, how it fits together, and where its secrets are audited. */
export function renderArchitectureDoc(
  spec: FargateServiceSpec,
  model: StackModel,
): string {
  const { names } = model;
  const secretsManagerMode = spec.credentials.mode === 'secrets-manager';
  const rows = resourceSummaries(model).map(
    row =>
      `| ${row.logicalId} | \`${row.type}\` | ${markdownCell(row.description)} |`,
  );
  const keyText = {
    'aws-managed': 'the AWS-managed keys (`aws/secretsmanager`, `aws/rds`)',
    create: `a customer-managed key created by the stack (\`${names.kmsAliasName}\`, yearly rotation on)`,
    existing: 'the customer-managed key given as input',
  }[spec.kms.mode];

  return [
    `# ${names.serviceName}: architecture`,
    '',
    `> ${markdownCell(spec.description)}`,
    '',
    `CloudFormation stack \`${names.stackName}\` (\`infra/template.yaml\`) runs the service on ECS Fargate behind an ` +
      `application load balancer (${spec.loadBalancer.scheme}${spec.loadBalancer.certificateArn ? ', HTTPS with HTTP redirected' : ', HTTP'}), ` +
      `with an RDS ${spec.database.engine} ${spec.database.engineVersion} database whose credentials live in Secrets Manager.`,
    '',
    '```mermaid',
    renderMermaid(model),
    '```',
    '',
    '## Database credentials',
    '',
    ...(secretsManagerMode
      ? [
          `The application logs in as its own user, \`app_user\`, whose password Secrets Manager generates into \`${names.applicationSecretName}\`. ` +
            `The master password lives in \`${names.secretName}\` and serves only the bootstrap and the rotation functions.`,
          "Each task first runs the `db-bootstrap` init container: with the master secret it makes sure `app_user` exists, owns the service's database and holds nothing else; the application container starts after it succeeds and receives only the application secret.",
          `Every ${spec.credentials.rotationDays} days \`${names.applicationRotationFunctionName}\` rotates the application secret with alternating users (\`app_user\` / \`app_user_clone\`): the credentials running tasks hold stay valid while the service rolls. ` +
            `\`${names.rotationFunctionName}\` rotates the master secret on the same schedule. Neither rotates when the stack is created.`,
        ]
      : [
          'The application logs in as the master user. RDS generates its password into a secret it manages (`rds!db-...`) and rotates it every 7 days; until the redeploy has replaced the tasks, their new connections fail. The secrets-manager mode avoids both.',
        ]),
    `The ${secretsManagerMode ? 'secrets' : 'secret'} and the database storage are encrypted with ${keyText}.`,
    'At task start ECS injects `DB_USER` and `DB_PASSWORD` from the ' +
      (secretsManagerMode ? 'application secret' : 'secret') +
      (secretsManagerMode
        ? ', and `DB_HOST`, `DB_PORT`, `DB_NAME` from it as well.'
        : '; `DB_HOST`, `DB_PORT` and `DB_NAME` come from the database as plain values.'),
    'IAM lets only the task execution role read ' +
      (secretsManagerMode
        ? 'the secrets (`secretsmanager:GetSecretValue` on these two'
        : 'the secret (`secretsmanager:GetSecretValue` on that secret') +
      (spec.kms.mode === 'aws-managed' ? ')' : ', `kms:Decrypt` on that key)') +
      (secretsManagerMode
        ? '; it reads the master secret for the `db-bootstrap` container only.'
        : '.') +
      (secretsManagerMode
        ? ` Each secret's resource policy denies reading it to every other IAM principal of the account except roles named after the stack (\`${names.stackName}-*\`, the pattern the rotation functions' roles match), whatever their IAM policies allow.`
        : " The secret's resource policy denies reading it to every other IAM principal of the account, whatever their IAM policies allow."),
    'Running tasks keep the credentials they started with: when `AWSCURRENT` moves to a new version of the secret the application reads (the native `Secret Label Updated` event, no trail needed), `RotationEventRule` starts a state machine that forces a new deployment. ' +
      `It logs errors to \`${names.redeployLogGroupName}\`; \`RedeployFailedAlarm\`${secretsManagerMode ? ' and `RotationFailedAlarm` watch' : ' watches'} for failures and notify the SNS topic \`${names.alarmTopicName}\`.`,
    '',
    '## Audit: who read the secret',
    '',
    "The account's CloudTrail records every access; no trail of its own is created. In CloudTrail event history (or your organisation trail) look for:",
    '',
    '| Event | Event source | Meaning |',
    '| --- | --- | --- |',
    '| `GetSecretValue` | `secretsmanager.amazonaws.com` | The secret was read (ECS reads it at each task start, as the execution role) |',
    ...(spec.kms.mode === 'aws-managed'
      ? []
      : [
          '| `Decrypt` | `kms.amazonaws.com` | The key decrypted the secret for a reader |',
        ]),
    '| `RotationStarted`, `RotationSucceeded`, `RotationFailed` | `secretsmanager.amazonaws.com` | Rotation of the secret |',
    '| `PutSecretValue`, `UpdateSecretVersionStage` | `secretsmanager.amazonaws.com` | A new password was stored or promoted |',
    '',
    `Filter by resource name (the secret ARN, see the \`${secretsManagerMode ? 'ApplicationSecretArn` and `DatabaseSecretArn' : 'DatabaseSecretArn'}\` stack output${secretsManagerMode ? 's' : ''}) to see only this service.`,
    '',
    '## Security',
    '',
    'Each control as this stack has it, the input that changes it, and what it costs. `docs/security.md` lists the defaults per environment.',
    '',
    '| Control | What this stack does | Input | Cost |',
    '| --- | --- | --- | --- |',
    ...securityControls(spec).map(
      row => `| ${row.control} | ${row.does} | ${row.input} | ${row.cost} |`,
    ),
    '',
    '## Resources',
    '',
    '| Logical id | Type | Description |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** Mermaid labels are quoted strings: a quote would end one early. */
function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;');
}

/** Keeps user text on one table row / blockquote line and out of Markdown and HTML syntax. */
function markdownCell(text: string): string {
  return text
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, character => `\\${character}`);
}
