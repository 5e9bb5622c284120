import { InfoCard, InfoCardVariants } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { ANNOTATION_CLOUDFORMATION_STACK_NAME } from '@golden-path/plugin-cloudformation-common';
import { pendingCardContent } from '../PendingCardContent';
import { StackDetails } from './StackDetails';
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
  const state = useEntityStack(entity);
  const { answer } = state;
  const stackName =
    entity.metadata.annotations?.[ANNOTATION_CLOUDFORMATION_STACK_NAME];
  const available = answer?.status === 'available' ? answer : undefined;

  const content =
    pendingCardContent(state, 'Could not read the stack') ??
    (available && (
      <StackDetails
        stack={available.stack}
        retrievedAt={available.retrievedAt}
      />
    ));

  return (
    <InfoCard
      title="CloudFormation stack"
      subheader={stackName}
      variant={props.variant}
      deepLink={
        available?.stack.consoleUrl
          ? {
              title: 'Open in the AWS console',
              link: available.stack.consoleUrl,
            }
          : undefined
      }
    >
      {content}
    </InfoCard>
  );
}
