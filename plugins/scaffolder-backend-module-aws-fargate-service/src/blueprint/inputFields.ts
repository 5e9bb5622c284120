/** The blueprint's input fields: the service, its container, scaling, load balancer and network (the database's are in databaseInputFields.ts). */
import { TAG_ENTITY_REF } from '@golden-path/plugin-cloudformation-common';
import { z } from 'zod/v3';
import { databaseInputFields } from './databaseInputFields';
import { ENVIRONMENT_DEFAULTS, hardeningInputFields } from './hardeningInput';
import {
  isInsideWorkspace,
  isIpv4Cidr,
  matching,
  prefixOf,
  range,
} from './inputHelpers';

/** Fargate's CPU units and the task memory (MiB) each allows. */
export const FARGATE_MEMORY_BY_CPU: Readonly<
  Record<number, readonly number[]>
> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

/** Retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,
  2192, 2557, 2922, 3288, 3653,
] as const;

/** Environment variable names the blueprint sets itself from the database and its secret. */
export const DATABASE_VARIABLES = [
  'DB_HOST',
  'DB_PORT',
  'DB_NAME',
  'DB_USER',
  'DB_PASSWORD',
] as const;

/** Tags the blueprint puts on every resource itself; `tags` cannot override them. */
export const STANDARD_TAG_KEYS = [
  'service',
  'owner',
  'environment',
  TAG_ENTITY_REF,
] as const;

const SUBNET_ID = /^subnet-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;
const AWS_TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
// CloudFormation expands `{{resolve:...}}` anywhere in a property value, so user text must not carry one.
const DYNAMIC_REFERENCE = /\{\{\s*resolve\s*:/i;
const NO_DYNAMIC_REFERENCE =
  "must not contain '{{resolve:' (CloudFormation would treat it as a dynamic reference)";

const cidr = (description: string) =>
  z
    .string({ description })
    .refine(isIpv4Cidr, 'must be an IPv4 CIDR block such as 10.0.0.0/16');
const tagText = (maxLength: number) =>
  z
    .string()
    .max(maxLength, `must be at most ${maxLength} characters`)
    .refine(
      matching(AWS_TAG_TEXT),
      'may hold only letters, digits, spaces and _ . : / = + - @ (the characters AWS tags accept)',
    );

/**
 * The blueprint's input fields. Each carries its description (shown in the template editor's action
 * docs) and default; rules spanning fields live in {@link parseFargateServiceInput}.
 */
export const fargateServiceInputFields = {
  serviceName: z
    .string({
      description:
        'Name of the service (required). 2-28 lowercase letters, digits and single hyphens; it prefixes every AWS name.',
    })
    .min(2, 'must be at least 2 characters')
    .max(
      28,
      'must be at most 28 characters (RDS, ECR and ECS names are built from it)',
    )
    .refine(
      matching(/^[a-z](?:(?:[a-z0-9]|-(?!-))*[a-z0-9])?$/),
      'must start with a lowercase letter, end with a letter or digit, and hold only lowercase letters, digits and single hyphens',
    ),
  environment: z
    .string({
      description:
        'Deployment environment, e.g. dev, staging, prod: 1-16 lowercase letters and digits. Part of every AWS name.',
    })
    .refine(
      matching(/^[a-z][a-z0-9]{0,15}$/),
      'must be 1-16 lowercase letters and digits, starting with a letter',
    )
    .default('dev'),
  owner: tagText(256)
    .describe(
      'Owner of the service (e.g. group:default/team-a); becomes the "owner" tag.',
    )
    .default('unassigned'),
  entityRef: tagText(256)
    .describe(
      'Backstage entity ref of the service; becomes the backstage:entity-ref tag. Default: component:default/<serviceName>.',
    )
    .optional(),
  description: z
    .string({
      description:
        'One-line description of the service, used as the stack description. Default: "<serviceName> service".',
    })
    .max(
      900,
      'must be at most 900 characters (CloudFormation limits a template description to 1024 bytes)',
    )
    .refine(text => !DYNAMIC_REFERENCE.test(text), NO_DYNAMIC_REFERENCE)
    .optional(),
  tags: z
    .record(
      z
        .string()
        .min(1, 'tag keys must not be empty')
        .max(128, 'tag keys must be at most 128 characters')
        .refine(
          matching(AWS_TAG_TEXT),
          'tag keys may hold only letters, digits, spaces and _ . : / = + - @',
        )
        .refine(
          key => !key.toLowerCase().startsWith('aws:'),
          'tag keys must not start with "aws:" (reserved by AWS)',
        )
        .refine(
          key => !(STANDARD_TAG_KEYS as readonly string[]).includes(key),
          `tag keys ${STANDARD_TAG_KEYS.join(', ')} are set from serviceName, owner, environment and entityRef`,
        ),
      tagText(256),
      {
        description:
          'Extra tags for every taggable resource, as key/value pairs.',
      },
    )
    .default({}),
  targetPath: z
    .string({
      description:
        'Directory in the workspace to write infra/ and docs/ into. Default: the workspace root.',
    })
    .refine(
      isInsideWorkspace,
      'must be a relative path that stays inside the workspace (no leading / and no ..)',
    )
    .default('.'),
  region: z
    .string({
      description:
        'AWS region the stack is deployed to, e.g. eu-west-1. Only the console links of the catalog entities use it; without it they carry none.',
    })
    .refine(
      matching(/^[a-z]{2,}(?:-[a-z]+)+-\d+$/),
      'must be an AWS region such as eu-west-1',
    )
    .optional(),

  containerImage: z
    .string({
      description:
        'Image the service starts with (the ContainerImage parameter; CI replaces it by deploying a new value).',
    })
    .max(512, 'must be at most 512 characters')
    .refine(
      matching(/^[a-z0-9][a-z0-9._\-/:@]*$/i),
      'must be an image reference such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1.0',
    )
    // nginx-unprivileged: runs as a non-root user on 8080, as the task definition requires.
    .default('public.ecr.aws/nginx/nginx-unprivileged:alpine'),
  containerPort: z
    .number({ description: 'Port the container listens on.' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 65535')
    .max(65535, 'must be between 1 and 65535')
    .default(8080),
  healthCheckPath: z
    .string({
      description:
        'HTTP path the load balancer probes; a 200-399 answer means healthy.',
    })
    .max(1024, 'must be at most 1024 characters')
    .refine(
      matching(/^\/[A-Za-z0-9\-._~/%?=&]*$/),
      'must start with / and hold only URL path characters',
    )
    .default('/'),
  cpu: z
    .number({
      description: 'Task CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384.',
    })
    .refine(
      value => value in FARGATE_MEMORY_BY_CPU,
      'must be one of 256, 512, 1024, 2048, 4096, 8192, 16384',
    )
    .default(256),
  memory: z
    .number({
      description:
        'Task memory in MiB; must be a Fargate-supported amount for the chosen cpu (e.g. 512, 1024 or 2048 for 256 CPU).',
    })
    .int('must be a whole number of MiB')
    .default(512),
  cpuArchitecture: z
    .enum(['X86_64', 'ARM64'], {
      description: 'CPU architecture of the image.',
    })
    .default('X86_64'),
  environmentVariables: z
    .record(
      z
        .string()
        .refine(
          matching(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/),
          'variable names must be letters, digits and _, not starting with a digit',
        )
        .refine(
          name => !(DATABASE_VARIABLES as readonly string[]).includes(name),
          `variable names ${DATABASE_VARIABLES.join(', ')} are set by the blueprint`,
        )
        .refine(
          name => !/^(AWS|ECS)_/.test(name),
          'variable names must not start with AWS_ or ECS_ (reserved by AWS)',
        ),
      z
        .string()
        .max(4096, 'values must be at most 4096 characters')
        .refine(
          value => !DYNAMIC_REFERENCE.test(value),
          `values ${NO_DYNAMIC_REFERENCE}`,
        ),
      {
        description:
          'Plain (non-secret) environment variables for the container. Database settings are injected separately.',
      },
    )
    .default({}),

  desiredCount: z
    .number({
      description:
        'Number of tasks to run at first; autoscaling then keeps it between minCapacity and maxCapacity.',
    })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .default(2),
  minCapacity: z
    .number({ description: 'Fewest tasks autoscaling keeps.' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .default(2),
  maxCapacity: z
    .number({ description: 'Most tasks autoscaling starts.' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(1000, 'must be at most 1000')
    .default(4),
  cpuTargetPercent: z
    .number({
      description: 'Average CPU utilisation (%) autoscaling aims for.',
    })
    .min(10, 'must be between 10 and 90')
    .max(90, 'must be between 10 and 90')
    .default(60),
  logRetentionDays: z
    .number({
      description: `Days CloudWatch keeps the logs: one of ${LOG_RETENTION_DAYS.join(', ')}. Default: ${ENVIRONMENT_DEFAULTS.logRetentionDays.prod} in prod, ${ENVIRONMENT_DEFAULTS.logRetentionDays.other} elsewhere.`,
    })
    .refine(
      value => (LOG_RETENTION_DAYS as readonly number[]).includes(value),
      `must be one of ${LOG_RETENTION_DAYS.join(', ')}`,
    )
    .optional(),

  loadBalancerScheme: z
    .enum(['internet-facing', 'internal'], {
      description:
        'Whether the load balancer is reachable from the internet or only inside the VPC.',
    })
    .default('internet-facing'),
  certificateArn: z
    .string({
      description:
        'ACM certificate ARN. When given, the load balancer serves HTTPS and redirects HTTP to it.',
    })
    .refine(
      matching(
        /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/,
      ),
      'must be an ACM certificate ARN such as arn:aws:acm:eu-west-1:123456789012:certificate/<id>',
    )
    .optional(),
  loadBalancerIngressCidr: cidr(
    'CIDR allowed to reach the load balancer. Default: 0.0.0.0/0 when internet-facing, the VPC CIDR when internal (required for an internal load balancer in an existing VPC).',
  ).optional(),

  vpcId: z
    .string({
      description:
        'Existing VPC to deploy into. Leave empty to create a new VPC.',
    })
    .refine(
      matching(/^vpc-[0-9a-f]{8}(?:[0-9a-f]{9})?$/),
      'must be a VPC id such as vpc-0123456789abcdef0',
    )
    .optional(),
  publicSubnetIds: z
    .array(
      z
        .string()
        .refine(
          matching(SUBNET_ID),
          'subnet ids look like subnet-0123456789abcdef0',
        ),
      {
        description:
          'Existing VPC only: public subnets (2 or more, in different AZs) for an internet-facing load balancer.',
      },
    )
    .optional(),
  privateSubnetIds: z
    .array(
      z
        .string()
        .refine(
          matching(SUBNET_ID),
          'subnet ids look like subnet-0123456789abcdef0',
        ),
      {
        description:
          'Existing VPC only: private subnets (2 or more, in different AZs, with a route to AWS APIs) for tasks and the database.',
      },
    )
    .optional(),
  vpcCidr: cidr(
    'New VPC only: its CIDR block, /16 to /24; split into two public and two private subnets.',
  )
    .refine(
      block =>
        !isIpv4Cidr(block) || (prefixOf(block) >= 16 && prefixOf(block) <= 24),
      'must have a prefix between /16 and /24',
    )
    .default('10.0.0.0/16'),
  natGateways: z
    .enum(['single', 'per-az', 'none'], {
      description:
        'New VPC only: one NAT gateway, one per AZ (highly available), or none (private VPC endpoints for ECR, logs and Secrets Manager instead).',
    })
    .default('single'),

  ...databaseInputFields,
  ...hardeningInputFields,
};
