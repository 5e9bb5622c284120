import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';

/**
 * The value `AwsDeployTargetPicker` produces, as the scaffolder's field explorer shows it.
 *
 * @public
 */
export const AwsDeployTargetPickerFieldSchema = makeFieldSchema({
  output: z =>
    z.object({
      accountId: z
        .string()
        .regex(/^\d{12}$/)
        .describe(
          'AWS account id (12 digits), one of aws.cloudformation.allowedAccountIds',
        ),
      region: z.string().describe('AWS region, one of the allowed regions'),
    }),
});
