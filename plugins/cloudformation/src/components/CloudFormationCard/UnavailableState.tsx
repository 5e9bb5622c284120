import { Box, Typography } from '@material-ui/core';
import { CodeSnippet, EmptyState } from '@backstage/core-components';
import { CloudFormationUnavailableReason } from '@golden-path/plugin-cloudformation-common';

const TITLES: Record<CloudFormationUnavailableReason, string> = {
  'not-configured': 'AWS access is not configured for this stack',
  'not-allowed': "This stack's AWS account or region is not allowed",
  'access-denied': 'AWS denied Backstage access to this stack',
};

/** What a platform engineer adds to the app-config (or IAM) to make the stack readable. */
const FIXES: Record<
  CloudFormationUnavailableReason,
  { language: string; text: string }
> = {
  'not-configured': {
    language: 'yaml',
    text: `aws:
  accounts:
    - accountId: '123456789012'
      roleName: backstage-cloudformation-read
  cloudformation:
    defaultRegion: eu-west-1 # for entities without a region annotation`,
  },
  'not-allowed': {
    language: 'yaml',
    text: `aws:
  cloudformation:
    allowedAccountIds: ['123456789012']
    allowedRegions: [eu-west-1]`,
  },
  'access-denied': {
    language: 'json',
    text: JSON.stringify(
      {
        Effect: 'Allow',
        Action: [
          'cloudformation:DescribeStacks',
          'cloudformation:ListStackResources',
          'cloudformation:DescribeStackEvents',
          'cloudformation:GetTemplate',
        ],
        Resource: 'arn:aws:cloudformation:*:123456789012:stack/*',
      },
      null,
      2,
    ),
  },
};

/** Empty state for a stack AWS access cannot read: says what to configure, not an error page. */
export function UnavailableState(props: {
  reason: CloudFormationUnavailableReason;
  message: string;
}) {
  const fix = FIXES[props.reason];
  return (
    <EmptyState
      missing="info"
      title={TITLES[props.reason]}
      description={props.message}
      action={
        <Box>
          <Typography variant="body2" paragraph>
            A platform engineer can fix this, for example:
          </Typography>
          <CodeSnippet language={fix.language} text={fix.text} />
        </Box>
      }
    />
  );
}
