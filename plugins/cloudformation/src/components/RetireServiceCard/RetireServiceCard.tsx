import { InfoCard, LinkButton } from '@backstage/core-components';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { cloudformationStackRetirePermission } from '@golden-path/plugin-cloudformation-common';
import { Button, Typography } from '@material-ui/core';

/** The retire template the button opens (its name in the default namespace). */
export const DEFAULT_RETIRE_TEMPLATE = 'retire-aws-fargate-service';

/** Props of {@link RetireServiceCard}. @public */
export interface RetireServiceCardProps {
  /** Name of the retire template in the default namespace; defaults to `retire-aws-fargate-service`. */
  templateName?: string;
  /** Where the scaffolder is mounted; defaults to `/create`. */
  scaffolderPath?: string;
}

/** The retire template's form, with this entity filled in. */
export function retireTemplateUrl(
  entityRef: string,
  templateName = DEFAULT_RETIRE_TEMPLATE,
  scaffolderPath = '/create',
): string {
  return `${scaffolderPath}/templates/default/${encodeURIComponent(templateName)}?formData=${encodeURIComponent(JSON.stringify({ entity: entityRef }))}`;
}

/**
 * A "Retire service" button for the current entity: opens the retire template with the entity
 * filled in. Offered to the entity's owners only (`cloudformation.stack.retire`); the template's
 * actions check the same permission in the backend, so the button is a convenience, not the guard.
 *
 * @public
 */
export function RetireServiceCard(props: RetireServiceCardProps) {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { allowed, loading } = usePermission({
    permission: cloudformationStackRetirePermission,
    resourceRef: entityRef,
  });
  return (
    <InfoCard title="Retire service">
      <Typography variant="body2" paragraph>
        Deletes the service&apos;s CloudFormation stack (the database gets a
        final snapshot; the key and the secret are kept), removes it from the
        catalog and archives its repository. The form says what is deleted and
        kept, and asks for the name.
      </Typography>
      {allowed ? (
        <LinkButton
          variant="outlined"
          color="secondary"
          to={retireTemplateUrl(
            entityRef,
            props.templateName,
            props.scaffolderPath,
          )}
        >
          Retire service
        </LinkButton>
      ) : (
        <>
          <Button variant="outlined" color="secondary" disabled>
            Retire service
          </Button>
          {!loading && (
            <Typography variant="caption" display="block">
              Only the owners of {entity.metadata.name} can retire it.
            </Typography>
          )}
        </>
      )}
    </InfoCard>
  );
}
