import type { PermissionsService } from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  stringifyEntityRef,
  type Entity,
} from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ANNOTATION_CLOUDFORMATION_STACK_NAME,
  cloudformationStackRetirePermission,
} from '@golden-path/plugin-cloudformation-common';
import { checkRuledFields, ruledString } from './inputFields';
import { examples } from './removeEntities.examples';

const ORIGIN_LOCATION = 'backstage.io/managed-by-origin-location';

/** Options of {@link createCatalogRemoveEntitiesAction}. */
export type CatalogRemoveEntitiesActionOptions = {
  catalog: CatalogService;
  /** Decides whether the task's initiator may retire the entity (`cloudformation.stack.retire`). */
  permissions: PermissionsService;
};

/**
 * `catalog:entities:remove`: removes a retired service from the catalog — its Component and the
 * Resources registered with it for the same stack (the golden path's database and secret) — and the
 * location they were registered from, so the catalog does not read them again. With the initiator's
 * credentials, so the catalog's own permissions apply too.
 *
 * @public
 */
export function createCatalogRemoveEntitiesAction(
  options: CatalogRemoveEntitiesActionOptions,
) {
  const { catalog, permissions } = options;
  return createTemplateAction({
    id: 'catalog:entities:remove',
    description:
      "Removes a retired service's entities from the catalog: the Component, the Resources registered from the same location " +
      "for the same CloudFormation stack, and that location once nothing else comes from it. Only the entity's owners may run it " +
      '(permission cloudformation.stack.retire). The dry run lists what would be removed.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          ruledString(
            z,
            'entityRef',
            'The service being retired, e.g. component:default/payments.',
          ),
      },
      output: {
        removedEntityRefs: z =>
          z.array(z.string(), {
            description: 'Entities removed (or, in a dry run, that would be).',
          }),
        removedLocation: z =>
          z
            .string({
              description:
                'Target of the catalog location removed with them, when one was.',
            })
            .optional(),
      },
    },
    async handler(ctx) {
      checkRuledFields('catalog:entities:remove', ctx.input, {
        entityRef: 'entityRef',
      });
      const entityRef = stringifyEntityRef(parseEntityRef(ctx.input.entityRef));
      const credentials = await ctx.getInitiatorCredentials();
      const [decision] = await permissions.authorize(
        [
          {
            permission: cloudformationStackRetirePermission,
            resourceRef: entityRef,
          },
        ],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw new NotAllowedError(
          `Only the owners of ${entityRef} may retire it (permission ${cloudformationStackRetirePermission.name}). Nothing was removed.`,
        );
      }

      const plan = await ctx.checkpoint({
        key: `catalog.entities.remove.plan.${entityRef}`,
        fn: async () => {
          const entity = await catalog.getEntityByRef(entityRef, {
            credentials,
          });
          if (!entity) {
            return {
              entities: [] as Array<{ ref: string; uid: string }>,
              location: undefined as { id: string; target: string } | undefined,
              others: [] as string[],
            };
          }
          const origin = entity.metadata.annotations?.[ORIGIN_LOCATION];
          const fromSameLocation = origin
            ? (
                await catalog.getEntities(
                  {
                    filter: {
                      [`metadata.annotations.${ORIGIN_LOCATION}`]: origin,
                    },
                  },
                  { credentials },
                )
              ).items
            : [entity];
          const stackName =
            entity.metadata.annotations?.[ANNOTATION_CLOUDFORMATION_STACK_NAME];
          const belongs = (candidate: Entity) =>
            stringifyEntityRef(candidate) === entityRef ||
            (candidate.kind === 'Resource' &&
              stackName !== undefined &&
              candidate.metadata.annotations?.[
                ANNOTATION_CLOUDFORMATION_STACK_NAME
              ] === stackName);
          const removed = fromSameLocation.filter(belongs);
          const others = fromSameLocation
            .filter(
              candidate => !belongs(candidate) && candidate.kind !== 'Location',
            )
            .map(e => stringifyEntityRef(e));
          const location = await catalog.getLocationByEntity(entityRef, {
            credentials,
          });
          return {
            entities: removed.map(e => ({
              ref: stringifyEntityRef(e),
              uid: e.metadata.uid!,
            })),
            location: location
              ? { id: location.id, target: location.target }
              : undefined,
            others,
          };
        },
      });

      const refs = plan.entities.map(entity => entity.ref);
      const removeLocation =
        plan.location && plan.others.length === 0 ? plan.location : undefined;
      if (refs.length === 0) {
        ctx.logger.info(
          `${entityRef} is not in the catalog: nothing to remove.`,
        );
      } else {
        ctx.logger.info(
          `${ctx.isDryRun ? 'Would remove' : 'Removing'} from the catalog: ${refs.join(', ')}.`,
        );
      }
      if (plan.location && !removeLocation) {
        ctx.logger.warn(
          `Location ${plan.location.target} also holds ${plan.others.join(', ')}, so it stays registered; ` +
            `remove ${refs.join(', ')} from its file, or the catalog reads them again.`,
        );
      }
      if (!ctx.isDryRun && refs.length > 0) {
        await ctx.checkpoint({
          key: `catalog.entities.remove.apply.${entityRef}`,
          fn: async () => {
            // The location first: otherwise its next refresh brings the entities back.
            if (removeLocation) {
              await catalog.removeLocationById(removeLocation.id, {
                credentials,
              });
              ctx.logger.info(
                `Removed catalog location ${removeLocation.target}.`,
              );
            }
            for (const entity of plan.entities) {
              await catalog.removeEntityByUid(entity.uid, { credentials });
            }
            return {};
          },
        });
        ctx.logger.info(`Removed ${refs.length} entities from the catalog.`);
      }
      ctx.output('removedEntityRefs', refs);
      if (removeLocation) {
        ctx.output('removedLocation', removeLocation.target);
      }
    },
  });
}
