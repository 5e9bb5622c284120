import { z } from 'zod/v3';

/**
 * Inputs for the controls that cost money or choice. Each is optional: left out, it takes the
 * environment's default from {@link hardeningDefaults}, where `prod` gets the strict set.
 */
export const hardeningInputFields = {
  containerUser: z
    .string({
      description:
        'User (UID, or UID:GID) the container runs as; never root. Default: 1000 (the `node` user of the skeleton image; nginx-unprivileged runs under it too).',
    })
    .refine(
      user =>
        /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,31})?$/.test(
          user,
        ),
      'must be a user name or UID, optionally :group, such as 1000 or 1000:1000',
    )
    .refine(
      user => !['root', '0'].includes(user.split(':')[0]),
      'must not be root (0): ECS runs the container as this user',
    )
    .default('1000'),
  readOnlyRootFilesystem: z
    .boolean({
      description:
        "Mount the container's root filesystem read-only, with a task volume at /tmp (root-owned unless the image declares VOLUME /tmp). Default: on in prod, off elsewhere.",
    })
    .optional(),
  databaseEnhancedMonitoring: z
    .boolean({
      description:
        'RDS Enhanced Monitoring every 60 s (OS metrics in CloudWatch Logs, billed as log ingestion). Default: on in prod, off elsewhere.',
    })
    .optional(),
  loadBalancerAccessLogs: z
    .boolean({
      description:
        'Write load balancer access logs to an S3 bucket the stack creates (billed as S3 storage). Default: on in prod, off elsewhere.',
    })
    .optional(),
  loadBalancerDeletionProtection: z
    .boolean({
      description:
        'Refuse to delete the load balancer until this is turned off. Default: on in prod, off elsewhere.',
    })
    .optional(),
  vpcFlowLogs: z
    .boolean({
      description:
        'New VPC only: VPC flow logs (rejected and accepted traffic) to CloudWatch Logs (billed as log ingestion). Default: on in prod, off elsewhere.',
    })
    .optional(),
  retainLogsOnDelete: z
    .boolean({
      description:
        'Keep the log groups (for their retention period) when the stack is deleted. Default: on in prod, off elsewhere.',
    })
    .optional(),
};

export type HardeningInput = z.output<z.ZodObject<typeof hardeningInputFields>>;

/** The resolved hardening settings of a spec. */
export type HardeningSpec = {
  containerUser: string;
  readOnlyRootFilesystem: boolean;
  databaseEnhancedMonitoring: boolean;
  loadBalancerAccessLogs: boolean;
  loadBalancerDeletionProtection: boolean;
  vpcFlowLogs: boolean;
  retainLogsOnDelete: boolean;
};

/**
 * Per-environment defaults, each with the reason it is what it is. `prod` gets the strict set; other
 * environments get the cheaper or more permissive choice, and the docs say what that leaves out.
 */
export const ENVIRONMENT_DEFAULTS = {
  /** A standby doubles the database cost; dev and staging can wait out an AZ failure. */
  databaseMultiAz: { prod: true, other: false },
  /** A customer key costs $1/month plus requests; it gives key-policy control and CloudTrail on each use, which prod needs. */
  kmsKey: { prod: 'create', other: 'aws-managed' },
  /** A year of logs is what audits ask for; dev logs are for debugging and cheaper kept a month. */
  logRetentionDays: { prod: 365, other: 30 },
  /** The starter image (nginx-unprivileged) writes to /tmp and cannot run read-only; prod runs the built app image, which writes nothing. */
  readOnlyRootFilesystem: { prod: true, other: false },
  /** 60-second OS metrics cost CloudWatch Logs ingestion; prod needs them to explain an incident. */
  databaseEnhancedMonitoring: { prod: true, other: false },
  /** Access logs cost S3 storage; prod needs them for forensics. */
  loadBalancerAccessLogs: { prod: true, other: false },
  /** Protection blocks stack deletion; dev stacks are created and torn down often. */
  loadBalancerDeletionProtection: { prod: true, other: false },
  /** Flow logs cost CloudWatch Logs ingestion per GB of traffic; prod needs them for forensics. */
  vpcFlowLogs: { prod: true, other: false },
  /** Kept logs outlive the stack and keep costing until their retention ends; prod keeps them for audits. */
  retainLogsOnDelete: { prod: true, other: false },
} as const;

type BooleanControl =
  | 'readOnlyRootFilesystem'
  | 'databaseEnhancedMonitoring'
  | 'loadBalancerAccessLogs'
  | 'loadBalancerDeletionProtection'
  | 'vpcFlowLogs'
  | 'retainLogsOnDelete';

export function resolveHardening(
  input: HardeningInput & { environment: string; vpcId?: string },
): HardeningSpec {
  const pick = (key: BooleanControl): boolean =>
    input[key] ??
    ENVIRONMENT_DEFAULTS[key][input.environment === 'prod' ? 'prod' : 'other'];
  return {
    containerUser: input.containerUser,
    readOnlyRootFilesystem: pick('readOnlyRootFilesystem'),
    databaseEnhancedMonitoring: pick('databaseEnhancedMonitoring'),
    loadBalancerAccessLogs: pick('loadBalancerAccessLogs'),
    loadBalancerDeletionProtection: pick('loadBalancerDeletionProtection'),
    // An existing VPC's flow logs belong to whoever owns that VPC.
    vpcFlowLogs: input.vpcId ? false : pick('vpcFlowLogs'),
    retainLogsOnDelete: pick('retainLogsOnDelete'),
  };
}

/** Registries with an interface VPC endpoint: only private ECR (`<account>.dkr.ecr.<region>.amazonaws.com`). */
export function isPrivateEcrImage(image: string): boolean {
  return /^\d{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?\//.test(
    image,
  );
}

/** Rules spanning fields that decide whether the stack can deploy, or whether prod is served in the clear. */
export function hardeningProblems(input: {
  environment: string;
  loadBalancerScheme: string;
  certificateArn?: string;
  vpcId?: string;
  natGateways: string;
  containerImage: string;
  vpcFlowLogs?: boolean;
}): Array<[field: string, message: string]> {
  const problems: Array<[string, string]> = [];
  if (
    input.environment === 'prod' &&
    input.loadBalancerScheme === 'internet-facing' &&
    !input.certificateArn
  ) {
    problems.push([
      'certificateArn',
      'is required for an internet-facing prod service: without it the load balancer serves plain HTTP to the internet; give an ACM certificate ARN, or use loadBalancerScheme "internal"',
    ]);
  }
  if (
    !input.vpcId &&
    input.natGateways === 'none' &&
    !isPrivateEcrImage(input.containerImage)
  ) {
    problems.push([
      'containerImage',
      `"${input.containerImage}" cannot be pulled with natGateways "none": only private ECR (<account>.dkr.ecr.<region>.amazonaws.com/...) has a VPC endpoint, ECR Public and other registries are on the internet; push the image to ECR, or choose natGateways "single" or "per-az"`,
    ]);
  }
  if (input.vpcId && input.vpcFlowLogs) {
    problems.push([
      'vpcFlowLogs',
      'applies to a new VPC only; the flow logs of an existing VPC belong to its owner (leave vpcId empty, or vpcFlowLogs off)',
    ]);
  }
  return problems;
}
