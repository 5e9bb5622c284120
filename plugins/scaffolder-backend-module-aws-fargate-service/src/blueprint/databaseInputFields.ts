/** The input fields of the database, its credentials and their key; engine facts come from the engine table. */
import {
  DATABASE_ENGINE_IDS,
  DATABASE_ENGINES,
} from '@golden-path/plugin-cloudformation-common';
import { z } from 'zod/v3';
import { matching } from './inputHelpers';

/** Master user names RDS refuses for any engine; one list, so the message does not depend on the engine picked. */
const RESERVED_USERNAMES: readonly string[] = [
  ...new Set(
    Object.values(DATABASE_ENGINES).flatMap(engine => engine.reservedUsernames),
  ),
];

export const databaseInputFields = {
  databaseEngine: z
    .enum(DATABASE_ENGINE_IDS, { description: 'RDS database engine.' })
    .default(DATABASE_ENGINE_IDS[0]),
  databaseEngineVersion: z
    .string({
      description: `Engine version. Default: ${Object.values(DATABASE_ENGINES)
        .map(engine => `${engine.defaultVersion} for ${engine.id}`)
        .join(', ')}.`,
    })
    .refine(
      matching(/^\d+(?:\.\d+){0,2}$/),
      'must be a version number such as 17.6 or 8.4.6',
    )
    .optional(),
  databaseInstanceClass: z
    .string({ description: 'RDS instance class.' })
    .refine(
      matching(/^db\.[a-z0-9-]+\.[a-z0-9]+$/),
      'must be an RDS instance class such as db.t4g.micro',
    )
    .default('db.t4g.micro'),
  databaseAllocatedStorage: z
    .number({ description: 'Storage in GiB (20-65536).' })
    .int('must be a whole number of GiB')
    .min(20, 'must be between 20 and 65536')
    .max(65536, 'must be between 20 and 65536')
    .default(20),
  databaseMultiAz: z
    .boolean({
      description:
        'Run a standby in a second AZ. Default: on in prod, off elsewhere.',
    })
    .optional(),
  databaseBackupRetentionDays: z
    .number({ description: 'Days of automated backups (1-35).' })
    .int('must be a whole number')
    .min(1, 'must be between 1 and 35')
    .max(35, 'must be between 1 and 35')
    .default(7),
  databaseDeletionProtection: z
    .boolean({
      description:
        'Refuse to delete the database until this is turned off. A final snapshot is taken on delete either way.',
    })
    .default(true),
  databaseName: z
    .string({
      description:
        'Name of the database created on the instance. Default: the service name with _ for -.',
    })
    .refine(
      matching(/^[A-Za-z][A-Za-z0-9_]{0,62}$/),
      'must be 1-63 letters, digits and _, starting with a letter',
    )
    .optional(),
  databaseUsername: z
    .string({
      description:
        'Master user name; its password is generated and never leaves Secrets Manager.',
    })
    .refine(
      matching(/^[A-Za-z][A-Za-z0-9_]{0,15}$/),
      'must be 1-16 letters, digits and _, starting with a letter',
    )
    .refine(
      name =>
        !/^rds/i.test(name) && !RESERVED_USERNAMES.includes(name.toLowerCase()),
      `must not start with "rds" nor be ${RESERVED_USERNAMES.slice(0, -1).join(', ')} or ${RESERVED_USERNAMES.at(-1)} (reserved by RDS)`,
    )
    .default('dbadmin'),

  credentialsMode: z
    .enum(['rds-managed', 'secrets-manager'], {
      description:
        'rds-managed: RDS creates and rotates the master secret (every 7 days). secrets-manager: a generated secret attached to the database, rotated every rotationDays by the hosted rotation Lambda.',
    })
    .default('rds-managed'),
  rotationDays: z
    .number({
      description:
        'secrets-manager mode: days between password rotations (1-1000).',
    })
    .int('must be a whole number of days')
    .min(1, 'must be between 1 and 1000')
    .max(1000, 'must be between 1 and 1000')
    .default(30),
  kmsKey: z
    .enum(['aws-managed', 'create', 'existing'], {
      description:
        "Key encrypting the secret, the database and the logs: the AWS-managed keys (logs then use CloudWatch's own encryption), a new customer-managed key (rotation on), or an existing key (kmsKeyArn; its policy must let Secrets Manager, RDS and CloudWatch Logs use it). Default: create in prod, aws-managed elsewhere.",
    })
    .optional(),
  kmsKeyArn: z
    .string({ description: 'kmsKey "existing" only: the key ARN.' })
    .refine(
      matching(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/),
      'must be a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/<key-id> (not an alias)',
    )
    .optional(),
};
