import { Entity } from '@backstage/catalog-model';
import { ANNOTATION_CLOUDFORMATION_STACK_NAME } from '@golden-path/plugin-cloudformation-common';

/**
 * Whether the entity names a CloudFormation stack, i.e. whether the card has something to show.
 * For the classic EntityPage's `EntitySwitch.Case if={...}`.
 *
 * @public
 */
export function isCloudFormationAvailable(entity: Entity): boolean {
  return Boolean(
    entity.metadata.annotations?.[ANNOTATION_CLOUDFORMATION_STACK_NAME]?.trim(),
  );
}
