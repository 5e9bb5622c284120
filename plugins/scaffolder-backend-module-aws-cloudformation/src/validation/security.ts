import { CONTROL_RULES } from './controls';
import {
  asIntrinsic,
  containsDynamicReference,
  isPlainObject,
  joinPath,
} from './intrinsics';
import type { TemplateDocument, ValidationFinding } from './types';

/** Identity-policy carriers and where their policy documents live. */
const POLICY_DOCUMENTS: Record<
  string,
  (properties: Record<string, unknown>) => Array<[string, unknown]>
> = {
  'AWS::IAM::Role': inlinePolicies,
  'AWS::IAM::User': inlinePolicies,
  'AWS::IAM::Group': inlinePolicies,
  'AWS::IAM::Policy': properties => [
    ['PolicyDocument', properties.PolicyDocument],
  ],
  'AWS::IAM::ManagedPolicy': properties => [
    ['PolicyDocument', properties.PolicyDocument],
  ],
  'AWS::IAM::RolePolicy': properties => [
    ['PolicyDocument', properties.PolicyDocument],
  ],
};

/** Services whose grants must name the exact secret or key: a wildcard hands out every secret in the account. */
const SENSITIVE_SERVICES = ['secretsmanager', 'kms'];

/** Every security rule id; a template may turn one off in its Metadata, with a reason (see `ignores.ts`). */
export const SECURITY_RULES = [
  'secretsmanager-wildcard-resource',
  'kms-wildcard-resource',
  'database-public',
  'storage-unencrypted',
  'plaintext-secret',
  'secret-parameter-without-no-echo',
  'security-group-open-ingress',
  ...CONTROL_RULES,
] as const;

/**
 * Parameter names that suggest a secret value, and suffixes that mark them as naming or pointing at one
 * instead (an ARN, an id, a KMS key, an alias, a path).
 */
const SECRET_LIKE_NAME =
  /(password|passwd|secret|token|api_?key|private_?key|credential)/i;
const REFERENCE_SUFFIX =
  /(arns?|names?|ids?|length|days|rotation|version|stage|kms_?keys?|alias|path|prefix)$/i;
/** The parameter types a secret can be typed into; AWS-specific types, SSM lookups and numbers hold none. */
const STRING_PARAMETER_TYPES = new Set(['String', 'CommaDelimitedList']);

/** Properties that make a database a copy of another (replica, snapshot restore, clone): it inherits the source's encryption. */
const INHERITED_ENCRYPTION_SOURCES: Record<string, string[]> = {
  'AWS::RDS::DBInstance': [
    'DBClusterIdentifier',
    'SourceDBInstanceIdentifier',
    'SourceDBClusterIdentifier',
    'DBSnapshotIdentifier',
    'SourceDbiResourceId',
  ],
  'AWS::RDS::DBCluster': [
    'SnapshotIdentifier',
    'SourceDBClusterIdentifier',
    'ReplicationSourceIdentifier',
    'GlobalClusterIdentifier',
  ],
};

/** Security rules: scoped secret/key grants, private and encrypted databases, no plaintext secrets. */
export function checkSecurity(template: TemplateDocument): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  checkParameters(template, findings);
  const resources = isPlainObject(template.Resources) ? template.Resources : {};
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (
      !isPlainObject(resource) ||
      typeof resource.Type !== 'string' ||
      !isPlainObject(resource.Properties)
    )
      continue;
    const type = resource.Type;
    const properties = resource.Properties;
    const path = joinPath('Resources', logicalId, 'Properties');
    for (const [documentPath, document] of POLICY_DOCUMENTS[type]?.(
      properties,
    ) ?? []) {
      checkPolicyDocument(
        document,
        joinPath(path, documentPath),
        logicalId,
        findings,
      );
    }
    switch (type) {
      case 'AWS::RDS::DBInstance':
      case 'AWS::RDS::DBCluster':
        checkDatabase(type, properties, path, logicalId, findings);
        break;
      case 'AWS::EFS::FileSystem':
        requireTrue(
          properties,
          'Encrypted',
          path,
          logicalId,
          'storage-unencrypted',
          'The file system must set Encrypted: true.',
          findings,
        );
        break;
      case 'AWS::EC2::Volume':
        requireTrue(
          properties,
          'Encrypted',
          path,
          logicalId,
          'storage-unencrypted',
          'The volume must set Encrypted: true.',
          findings,
        );
        break;
      case 'AWS::SecretsManager::Secret':
        if (
          typeof properties.SecretString === 'string' &&
          !containsDynamicReference(properties.SecretString)
        ) {
          findings.push({
            severity: 'error',
            rule: 'plaintext-secret',
            resource: logicalId,
            path: joinPath(path, 'SecretString'),
            message:
              'The secret value is written in the template; use GenerateSecretString or a NoEcho parameter.',
          });
        }
        break;
      case 'AWS::EC2::SecurityGroup':
        checkIngress(
          properties.SecurityGroupIngress,
          joinPath(path, 'SecurityGroupIngress'),
          logicalId,
          findings,
        );
        break;
      case 'AWS::EC2::SecurityGroupIngress':
        checkIngress([properties], path, logicalId, findings);
        break;
    }
  }
  return findings;
}

function inlinePolicies(
  properties: Record<string, unknown>,
): Array<[string, unknown]> {
  const policies = Array.isArray(properties.Policies)
    ? properties.Policies
    : [];
  return policies.map((policy, index) => [
    joinPath('Policies', index, 'PolicyDocument'),
    isPlainObject(policy) ? policy.PolicyDocument : undefined,
  ]);
}

function checkPolicyDocument(
  document: unknown,
  path: string,
  logicalId: string,
  findings: ValidationFinding[],
) {
  if (!isPlainObject(document)) return;
  const statements = Array.isArray(document.Statement)
    ? document.Statement
    : [document.Statement];
  statements.forEach((statement, index) => {
    if (!isPlainObject(statement) || statement.Effect !== 'Allow') return;
    const services = SENSITIVE_SERVICES.filter(service =>
      toList(statement.Action).some(action => actionTouches(action, service)),
    );
    if (services.length === 0) return;
    const resources = toList(statement.Resource);
    const wildcardAt = resources.findIndex(
      resource => typeof resource === 'string' && resource.includes('*'),
    );
    if (statement.NotResource !== undefined || wildcardAt >= 0) {
      findings.push({
        severity: 'error',
        rule: `${services[0]}-wildcard-resource`,
        resource: logicalId,
        path: joinPath(
          path,
          'Statement',
          index,
          statement.NotResource !== undefined ? 'NotResource' : 'Resource',
        ),
        message: `The statement grants ${services.join(' and ')} actions on a wildcard resource; name the exact secret and key ARNs.`,
      });
    }
  });
}

function actionTouches(action: unknown, service: string): boolean {
  if (typeof action !== 'string') return false;
  const lower = action.toLowerCase();
  return lower === '*' || lower.startsWith(`${service}:`);
}

function checkDatabase(
  type: string,
  properties: Record<string, unknown>,
  path: string,
  logicalId: string,
  findings: ValidationFinding[],
) {
  if (
    properties.PubliclyAccessible === true ||
    properties.PubliclyAccessible === 'true'
  ) {
    findings.push({
      severity: 'error',
      rule: 'database-public',
      resource: logicalId,
      path: joinPath(path, 'PubliclyAccessible'),
      message: 'The database must not be publicly accessible.',
    });
  }
  // Instances of a cluster, replicas, restores and clones inherit encryption from their source.
  if (
    !INHERITED_ENCRYPTION_SOURCES[type].some(
      name => properties[name] !== undefined,
    )
  ) {
    requireTrue(
      properties,
      'StorageEncrypted',
      path,
      logicalId,
      'storage-unencrypted',
      'The database must set StorageEncrypted: true.',
      findings,
    );
  }
  const password = properties.MasterUserPassword;
  if (typeof password === 'string' && !containsDynamicReference(password)) {
    findings.push({
      severity: 'error',
      rule: 'plaintext-secret',
      resource: logicalId,
      path: joinPath(path, 'MasterUserPassword'),
      message:
        'The master password is written in the template; use ManageMasterUserPassword or a Secrets Manager dynamic reference.',
    });
  }
}

function requireTrue(
  properties: Record<string, unknown>,
  name: string,
  path: string,
  logicalId: string,
  rule: string,
  message: string,
  findings: ValidationFinding[],
) {
  const value = properties[name];
  if (value === true || value === 'true' || asIntrinsic(value)) return;
  findings.push({
    severity: 'error',
    rule,
    resource: logicalId,
    path: joinPath(path, name),
    message,
  });
}

function checkIngress(
  rules: unknown,
  path: string,
  logicalId: string,
  findings: ValidationFinding[],
) {
  if (!Array.isArray(rules)) return;
  rules.forEach((rule, index) => {
    if (
      !isPlainObject(rule) ||
      (rule.CidrIp !== '0.0.0.0/0' && rule.CidrIpv6 !== '::/0')
    )
      return;
    const from = Number(rule.FromPort);
    const to = Number(rule.ToPort);
    const webOnly = [80, 443].includes(from) && from === to;
    if (!webOnly) {
      findings.push({
        severity: 'warning',
        rule: 'security-group-open-ingress',
        resource: logicalId,
        path: joinPath(path, index),
        message: `Ports ${String(rule.FromPort)}-${String(rule.ToPort)} are open to the internet; only 80 and 443 should be.`,
      });
    }
  });
}

function checkParameters(
  template: TemplateDocument,
  findings: ValidationFinding[],
) {
  if (!isPlainObject(template.Parameters)) return;
  for (const [name, parameter] of Object.entries(template.Parameters)) {
    if (
      !isPlainObject(parameter) ||
      !SECRET_LIKE_NAME.test(name) ||
      REFERENCE_SUFFIX.test(name)
    )
      continue;
    if (parameter.NoEcho === true || parameter.NoEcho === 'true') continue;
    if (
      typeof parameter.Type === 'string' &&
      !STRING_PARAMETER_TYPES.has(parameter.Type)
    )
      continue;
    if (
      typeof parameter.AllowedPattern === 'string' &&
      /^\^?arn:/.test(parameter.AllowedPattern)
    )
      continue;
    findings.push({
      severity: 'error',
      rule: 'secret-parameter-without-no-echo',
      path: joinPath('Parameters', name),
      message: `Parameter "${name}" looks like a secret; set NoEcho: true (better: keep it in Secrets Manager).`,
    });
  }
}

function toList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}
