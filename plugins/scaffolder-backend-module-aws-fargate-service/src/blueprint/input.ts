import {
  DATABASE_ENGINES,
  databaseEngine,
  namesParameterGroupFamily,
  parameterGroupFamily,
  type DatabaseEngineId,
} from '@golden-path/plugin-cloudformation-common';
import { z } from 'zod/v3';
import { APPLICATION_USERNAME } from './applicationUser';
import { describeIssue, withoutEmptyFields } from './inputHelpers';
import {
  FARGATE_MEMORY_BY_CPU,
  fargateServiceInputFields,
} from './inputFields';
import {
  ENVIRONMENT_DEFAULTS,
  hardeningProblems,
  resolveHardening,
  type HardeningSpec,
} from './hardeningInput';

const inputSchema = z.object(fargateServiceInputFields).strict();
type ParsedInput = z.output<typeof inputSchema>;

export type NetworkSpec =
  | { mode: 'new'; cidr: string; natGateways: 'single' | 'per-az' | 'none' }
  | {
      mode: 'existing';
      vpcId: string;
      publicSubnetIds: string[];
      privateSubnetIds: string[];
    };
export type KmsSpec =
  | { mode: 'aws-managed' }
  | { mode: 'create' }
  | { mode: 'existing'; keyArn: string };

/** Everything the blueprint builds from, with every default resolved. */
export type FargateServiceSpec = {
  serviceName: string;
  environment: string;
  owner: string;
  entityRef: string;
  description: string;
  tags: Record<string, string>;
  targetPath: string;
  region?: string;
  container: {
    image: string;
    port: number;
    healthCheckPath: string;
    cpu: number;
    memory: number;
    cpuArchitecture: 'X86_64' | 'ARM64';
    environmentVariables: Record<string, string>;
  };
  scaling: {
    desiredCount: number;
    minCapacity: number;
    maxCapacity: number;
    cpuTargetPercent: number;
  };
  logRetentionDays: number;
  loadBalancer: {
    scheme: 'internet-facing' | 'internal';
    certificateArn?: string;
    ingressCidr?: string;
  };
  network: NetworkSpec;
  database: {
    engine: DatabaseEngineId;
    engineVersion: string;
    instanceClass: string;
    allocatedStorage: number;
    multiAz: boolean;
    backupRetentionDays: number;
    deletionProtection: boolean;
    name: string;
    username: string;
  };
  credentials: {
    mode: 'rds-managed' | 'secrets-manager';
    rotationDays: number;
  };
  kms: KmsSpec;
  hardening: HardeningSpec;
};

export type InputParseResult =
  | { success: true; spec: FargateServiceSpec }
  | { success: false; problems: string[] };

/**
 * Validates raw action input and resolves defaults. Reports every problem at once, one line each,
 * naming the field and what it accepts.
 */
export function parseFargateServiceInput(raw: unknown): InputParseResult {
  const parsed = inputSchema
    .superRefine(checkCombinations)
    .safeParse(withoutEmptyFields(raw));
  if (!parsed.success) {
    return {
      success: false,
      problems: parsed.error.issues.map(issue =>
        describeIssue(issue, Object.keys(fargateServiceInputFields)),
      ),
    };
  }
  return { success: true, spec: toSpec(parsed.data) };
}

function checkCombinations(input: ParsedInput, ctx: z.RefinementCtx) {
  const problem = (field: string, message: string) =>
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: [field], message });

  const memoryOptions = FARGATE_MEMORY_BY_CPU[input.cpu];
  if (memoryOptions && !memoryOptions.includes(input.memory)) {
    problem(
      'memory',
      `${input.memory} MiB is not valid with cpu ${input.cpu}; use one of ${memoryOptions.join(', ')}`,
    );
  }
  if (input.minCapacity > input.maxCapacity)
    problem(
      'minCapacity',
      `must not exceed maxCapacity (${input.maxCapacity})`,
    );
  if (
    input.desiredCount < input.minCapacity ||
    input.desiredCount > input.maxCapacity
  ) {
    problem(
      'desiredCount',
      `must be between minCapacity (${input.minCapacity}) and maxCapacity (${input.maxCapacity})`,
    );
  }
  if (input.vpcId) {
    const subnets = (
      field: 'publicSubnetIds' | 'privateSubnetIds',
      needed: boolean,
      purpose: string,
    ) => {
      const ids = input[field] ?? [];
      if (needed && ids.length < 2)
        problem(
          field,
          `needs at least 2 subnet ids in different AZs when vpcId is set (${purpose})`,
        );
      if (new Set(ids).size !== ids.length)
        problem(field, 'must not repeat a subnet id');
    };
    subnets('privateSubnetIds', true, 'tasks and the database run there');
    subnets(
      'publicSubnetIds',
      input.loadBalancerScheme === 'internet-facing',
      'the internet-facing load balancer runs there',
    );
    if (
      input.loadBalancerScheme === 'internal' &&
      !input.loadBalancerIngressCidr
    ) {
      problem(
        'loadBalancerIngressCidr',
        'is required for an internal load balancer in an existing VPC (the CIDR that may reach it)',
      );
    }
  } else {
    for (const field of ['publicSubnetIds', 'privateSubnetIds'] as const) {
      if (input[field]?.length)
        problem(
          field,
          'is only used with an existing VPC; set vpcId too, or leave it empty to create a VPC',
        );
    }
  }
  for (const [field, message] of hardeningProblems(input))
    problem(field, message);
  const engine = databaseEngine(input.databaseEngine);
  if (
    input.databaseEngineVersion &&
    !namesParameterGroupFamily(engine, input.databaseEngineVersion)
  ) {
    problem(
      'databaseEngineVersion',
      `must name the major and minor version for ${engine.id}, such as ${parameterGroupFamily(engine, engine.defaultVersion).slice(engine.parameterGroupFamily.prefix.length)} or ${engine.defaultVersion} (the parameter group family is ${engine.parameterGroupFamily.prefix}<major>.<minor>)`,
    );
  }

  if (input.kmsKey === 'existing' && !input.kmsKeyArn)
    problem('kmsKeyArn', 'is required when kmsKey is "existing"');
  if (input.kmsKey !== 'existing' && input.kmsKeyArn)
    problem('kmsKeyArn', 'is only used when kmsKey is "existing"');
  if (
    input.credentialsMode === 'secrets-manager' &&
    [APPLICATION_USERNAME, `${APPLICATION_USERNAME}_clone`].includes(
      input.databaseUsername.toLowerCase(),
    )
  ) {
    problem(
      'databaseUsername',
      `must not be ${APPLICATION_USERNAME} or ${APPLICATION_USERNAME}_clone in secrets-manager mode (the application user and its rotation twin)`,
    );
  }
  const databaseName =
    input.databaseName ?? input.serviceName.replace(/-/g, '_');
  const nameLimit = engine.databaseNameMaxLength;
  if (databaseName.length > nameLimit)
    problem(
      'databaseName',
      `must be at most ${nameLimit} characters for ${input.databaseEngine}`,
    );
}

function toSpec(input: ParsedInput): FargateServiceSpec {
  const prod = input.environment === 'prod';
  const kmsKey =
    input.kmsKey ?? ENVIRONMENT_DEFAULTS.kmsKey[prod ? 'prod' : 'other'];
  return {
    serviceName: input.serviceName,
    environment: input.environment,
    owner: input.owner,
    entityRef: input.entityRef ?? `component:default/${input.serviceName}`,
    description: input.description ?? `${input.serviceName} service`,
    tags: input.tags,
    targetPath: input.targetPath,
    ...(input.region ? { region: input.region } : {}),
    container: {
      image: input.containerImage,
      port: input.containerPort,
      healthCheckPath: input.healthCheckPath,
      cpu: input.cpu,
      memory: input.memory,
      cpuArchitecture: input.cpuArchitecture,
      environmentVariables: input.environmentVariables,
    },
    scaling: {
      desiredCount: input.desiredCount,
      minCapacity: input.minCapacity,
      maxCapacity: input.maxCapacity,
      cpuTargetPercent: input.cpuTargetPercent,
    },
    logRetentionDays:
      input.logRetentionDays ??
      ENVIRONMENT_DEFAULTS.logRetentionDays[prod ? 'prod' : 'other'],
    loadBalancer: {
      scheme: input.loadBalancerScheme,
      ...(input.certificateArn ? { certificateArn: input.certificateArn } : {}),
      ...(input.loadBalancerIngressCidr
        ? { ingressCidr: input.loadBalancerIngressCidr }
        : {}),
    },
    network: input.vpcId
      ? {
          mode: 'existing',
          vpcId: input.vpcId,
          publicSubnetIds: input.publicSubnetIds ?? [],
          privateSubnetIds: input.privateSubnetIds ?? [],
        }
      : { mode: 'new', cidr: input.vpcCidr, natGateways: input.natGateways },
    database: {
      engine: input.databaseEngine,
      engineVersion:
        input.databaseEngineVersion ??
        DATABASE_ENGINES[input.databaseEngine].defaultVersion,
      instanceClass: input.databaseInstanceClass,
      allocatedStorage: input.databaseAllocatedStorage,
      multiAz:
        input.databaseMultiAz ??
        ENVIRONMENT_DEFAULTS.databaseMultiAz[prod ? 'prod' : 'other'],
      backupRetentionDays: input.databaseBackupRetentionDays,
      deletionProtection: input.databaseDeletionProtection,
      name: input.databaseName ?? input.serviceName.replace(/-/g, '_'),
      username: input.databaseUsername,
    },
    credentials: {
      mode: input.credentialsMode,
      rotationDays: input.rotationDays,
    },
    kms:
      kmsKey === 'existing'
        ? { mode: 'existing', keyArn: input.kmsKeyArn ?? '' }
        : { mode: kmsKey },
    hardening: resolveHardening(input),
  };
}
