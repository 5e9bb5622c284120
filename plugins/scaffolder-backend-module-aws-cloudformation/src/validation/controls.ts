import { asIntrinsic, isPlainObject, joinPath } from './intrinsics';
import type { TemplateDocument, ValidationFinding } from './types';

/**
 * Hardening rules from AWS's own controls (Control Tower, the RDS and Secrets Manager guides) that the
 * golden-path blueprint guarantees. They warn rather than fail: plenty of valid templates (AWS's default
 * key policy, a database outside the stack's parameter groups) are deliberate about them.
 */
export const CONTROL_RULES = [
  'kms-grant-unconditioned',
  'secret-without-resource-policy',
  'database-tls-not-enforced',
  'container-root-user',
  'service-trust-without-source-condition',
] as const;

type ControlRule = (typeof CONTROL_RULES)[number];

/** The parameter each engine family uses to refuse unencrypted connections, and the values that turn it on. */
const TLS_PARAMETERS: Array<{
  engine: RegExp;
  parameter: string;
  on: string[];
}> = [
  { engine: /^postgres/i, parameter: 'rds.force_ssl', on: ['1', 'true'] },
  {
    engine: /^(mysql|mariadb)/i,
    parameter: 'require_secure_transport',
    on: ['1', 'on', 'true'],
  },
];

const ROOT_USERS = new Set(['root', '0', '0:0']);

export function checkControls(template: TemplateDocument): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  const resources = isPlainObject(template.Resources) ? template.Resources : {};
  const warn = (
    rule: ControlRule,
    resource: string,
    path: string,
    message: string,
  ) => findings.push({ severity: 'warning', rule, resource, path, message });
  const securedSecrets = new Set(
    Object.values(resources)
      .filter(
        resource =>
          isPlainObject(resource) &&
          resource.Type === 'AWS::SecretsManager::ResourcePolicy' &&
          isPlainObject(resource.Properties),
      )
      .map(resource =>
        referencedLogicalId(
          (resource as { Properties: Record<string, unknown> }).Properties
            .SecretId,
        ),
      )
      .filter((id): id is string => id !== undefined),
  );

  for (const [logicalId, resource] of Object.entries(resources)) {
    if (!isPlainObject(resource) || typeof resource.Type !== 'string') continue;
    const properties = isPlainObject(resource.Properties)
      ? resource.Properties
      : {};
    const path = joinPath('Resources', logicalId, 'Properties');
    switch (resource.Type) {
      case 'AWS::KMS::Key':
        statementsOf(properties.KeyPolicy).forEach((statement, index) => {
          if (
            statement.Effect !== 'Allow' ||
            !toList(statement.Action).some(grantsCreateGrant)
          )
            return;
          if (conditionKeys(statement).has('kms:grantisforawsresource')) return;
          warn(
            'kms-grant-unconditioned',
            logicalId,
            joinPath(path, 'KeyPolicy', 'Statement', index),
            'The statement allows kms:CreateGrant without the condition kms:GrantIsForAWSResource: true, so a principal it covers can hand Decrypt to anyone (control CT.KMS.PR.3).',
          );
        });
        break;
      case 'AWS::SecretsManager::Secret':
        if (!securedSecrets.has(logicalId)) {
          warn(
            'secret-without-resource-policy',
            logicalId,
            joinPath('Resources', logicalId),
            'The secret has no AWS::SecretsManager::ResourcePolicy; without one any principal of the account whose IAM policy allows GetSecretValue on * can read it. Add a policy that denies every reader but the intended roles.',
          );
        }
        break;
      case 'AWS::RDS::DBInstance':
        checkDatabaseTls(properties, resources, path, logicalId, warn);
        break;
      case 'AWS::ECS::TaskDefinition':
        toList(properties.ContainerDefinitions).forEach((container, index) => {
          if (!isPlainObject(container)) return;
          const user = container.User;
          if (
            user === undefined ||
            (typeof user === 'string' &&
              ROOT_USERS.has(user.trim().toLowerCase()))
          ) {
            warn(
              'container-root-user',
              logicalId,
              joinPath(path, 'ContainerDefinitions', index, 'User'),
              'The container runs as root; set User to an unprivileged user (control CT.ECS.PR.5 and the ECS security guide).',
            );
          }
        });
        break;
      case 'AWS::IAM::Role':
        statementsOf(properties.AssumeRolePolicyDocument).forEach(
          (statement, index) => {
            if (
              statement.Effect !== 'Allow' ||
              !isPlainObject(statement.Principal) ||
              statement.Principal.Service === undefined
            )
              return;
            const keys = conditionKeys(statement);
            if (keys.has('aws:sourceaccount') || keys.has('aws:sourcearn'))
              return;
            warn(
              'service-trust-without-source-condition',
              logicalId,
              joinPath(path, 'AssumeRolePolicyDocument', 'Statement', index),
              'The service may assume this role on behalf of any account; add an aws:SourceAccount (or aws:SourceArn) condition against the confused deputy problem.',
            );
          },
        );
        break;
    }
  }
  return findings;
}

function checkDatabaseTls(
  properties: Record<string, unknown>,
  resources: Record<string, unknown>,
  path: string,
  logicalId: string,
  warn: (
    rule: ControlRule,
    resource: string,
    path: string,
    message: string,
  ) => void,
) {
  const engine =
    typeof properties.Engine === 'string' ? properties.Engine : undefined;
  const tls = engine
    ? TLS_PARAMETERS.find(entry => entry.engine.test(engine))
    : undefined;
  // Aurora members, replicas and unknown engines take their settings elsewhere.
  if (
    !tls ||
    properties.DBClusterIdentifier !== undefined ||
    properties.SourceDBInstanceIdentifier !== undefined
  )
    return;
  const message = `The database accepts unencrypted connections; give it a DBParameterGroup that sets ${tls.parameter} to ${tls.on[0]}.`;
  const groupName = properties.DBParameterGroupName;
  if (groupName === undefined) {
    warn(
      'database-tls-not-enforced',
      logicalId,
      joinPath(path, 'DBParameterGroupName'),
      message,
    );
    return;
  }
  const groupId = referencedLogicalId(groupName);
  const group = groupId ? resources[groupId] : undefined;
  // A parameter group from outside the template, or chosen at deploy time, cannot be read here.
  if (
    !isPlainObject(group) ||
    !isPlainObject(group.Properties) ||
    !isPlainObject(group.Properties.Parameters)
  )
    return;
  const value = group.Properties.Parameters[tls.parameter];
  if (asIntrinsic(value)) return;
  if (!tls.on.includes(String(value).toLowerCase())) {
    warn(
      'database-tls-not-enforced',
      logicalId,
      joinPath(path, 'DBParameterGroupName'),
      message,
    );
  }
}

function grantsCreateGrant(action: unknown): boolean {
  if (typeof action !== 'string') return false;
  const lower = action.toLowerCase();
  return (
    lower === '*' ||
    lower === 'kms:*' ||
    lower === 'kms:create*' ||
    lower === 'kms:creategrant'
  );
}

function statementsOf(document: unknown): Record<string, unknown>[] {
  if (!isPlainObject(document)) return [];
  return toList(document.Statement).filter(isPlainObject);
}

/** Condition keys of a statement, lower-cased, whatever their operator. */
function conditionKeys(statement: Record<string, unknown>): Set<string> {
  const keys = new Set<string>();
  if (!isPlainObject(statement.Condition)) return keys;
  for (const operands of Object.values(statement.Condition)) {
    if (isPlainObject(operands))
      for (const key of Object.keys(operands)) keys.add(key.toLowerCase());
  }
  return keys;
}

function referencedLogicalId(value: unknown): string | undefined {
  const call = asIntrinsic(value);
  if (!call) return undefined;
  if (call.name === 'Ref' && typeof call.args === 'string') return call.args;
  if (call.name === 'Fn::GetAtt') {
    const target = Array.isArray(call.args)
      ? call.args[0]
      : typeof call.args === 'string'
        ? call.args.split('.')[0]
        : undefined;
    return typeof target === 'string' ? target : undefined;
  }
  return undefined;
}

function toList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}
