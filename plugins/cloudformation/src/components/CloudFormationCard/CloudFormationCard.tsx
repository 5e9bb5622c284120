import { EmptyState, InfoCard, InfoCardVariants, Progress } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { ANNOTATION_CLOUDFORMATION_STACK_NAME } from '@golden-path/plugin-cloudformation-common';
import { CloudFormationApiError } from '../../api';
import { RetryableError } from '../RetryableError';
import { StackDetails } from './StackDetails';
import { UnavailableState } from './UnavailableState';
import { useEntityStack } from './useEntityStack';

/** Props of {@link CloudFormationCard}. @public */
export interface CloudFormationCardProps {
  variant?: InfoCardVariants;
}

/**
 * The CloudFormation stack of the current entity: status, outputs, resources, latest events and,
 * when the latest operation failed, its root cause.
 *
 * @public
 */
export function CloudFormationCard(props: CloudFormationCardProps) {
  const { entity } = useEntity();
  const { answer, error, loading, retry } = useEntityStack(entity);
  const stackName = entity.metadata.annotations?.[ANNOTATION_CLOUDFORMATION_STACK_NAME];
  const available = answer?.status === 'available' ? answer : undefined;

  let content;
  if (loading) {
    content = <Progress />;
  } else if (error instanceof CloudFormationApiError && error.statusCode === 404) {
    content = <EmptyState missing="content" title="Stack not found" description={error.message} />;
  } else if (error) {
    content = <RetryableError title="Could not read the stack" error={error} retry={retry} />;
  } else if (answer?.status === 'unavailable') {
    content = <UnavailableState reason={answer.reason} message={answer.message} />;
  } else if (available) {
    content = <StackDetails stack={available.stack} retrievedAt={available.retrievedAt} />;
  }

  return (
    <InfoCard
      title="CloudFormation stack"
      subheader={stackName}
      variant={props.variant}
      deepLink={
        available?.stack.consoleUrl ? { title: 'Open in the AWS console', link: available.stack.consoleUrl } : undefined
      }
    >
      {content}
    </InfoCard>
  );
}
