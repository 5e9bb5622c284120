import { Box, MenuItem, TextField } from '@material-ui/core';
import { useState } from 'react';
import {
  EmptyState,
  InfoCard,
  InfoCardVariants,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { pendingCardContent } from '../PendingCardContent';
import { SecretDetails } from './SecretDetails';
import { useEntitySecrets } from './useEntitySecrets';

/** CloudTrail's event history keeps 90 days. */
const WINDOWS = [1, 7, 30, 90];

/** Props of {@link SecretsCard}. @public */
export interface SecretsCardProps {
  variant?: InfoCardVariants;
}

/**
 * The Secrets Manager secrets of the entity's stack: KMS key, rotation, whether the running tasks
 * hold the current version, and who read each one. Never shows a secret value.
 *
 * @public
 */
export function SecretsCard(props: SecretsCardProps) {
  const { entity } = useEntity();
  const [windowDays, setWindowDays] = useState(7);
  const state = useEntitySecrets(entity, windowDays);
  const { answer } = state;

  let content = pendingCardContent(state, 'Could not read the secrets');
  if (!content && answer?.status === 'available') {
    content =
      answer.secrets.length === 0 ? (
        <EmptyState
          missing="data"
          title="No secrets in this stack"
          description="The stack has no AWS::SecretsManager::Secret resource and no output holding a secret ARN."
        />
      ) : (
        <>
          {answer.secrets.map(secret => (
            <SecretDetails
              key={secret.arn}
              secret={secret}
              windowDays={answer.windowDays}
            />
          ))}
        </>
      );
  }

  return (
    <InfoCard
      title="Secrets"
      subheader="Rotation, running tasks and readers (CloudTrail)"
      variant={props.variant}
    >
      <Box display="flex" justifyContent="flex-end" mb={1}>
        <TextField
          select
          size="small"
          label="Readers over"
          value={windowDays}
          onChange={event => setWindowDays(Number(event.target.value))}
          inputProps={{ 'aria-label': 'Readers over' }}
        >
          {WINDOWS.map(days => (
            <MenuItem key={days} value={days}>
              {days === 1 ? 'the last day' : `the last ${days} days`}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      {content}
    </InfoCard>
  );
}
