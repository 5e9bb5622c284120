import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type {
  PropertyType,
  Resource,
  SpecDatabase,
  TypeDefinition,
} from '@aws-cdk/service-spec-types';

let database: SpecDatabase | undefined;

/**
 * The CloudFormation resource model from `@aws-cdk/aws-service-spec`, loaded once per process
 * (about a second and ~80 MB) on first use.
 */
function specDatabase(): SpecDatabase {
  database ??= loadAwsServiceSpecSync();
  return database;
}

/** Loads the resource model now, so a caller can keep that one-off cost out of a timed path. */
export function preloadResourceModel(): void {
  specDatabase();
}

export type { PropertyType, Resource, TypeDefinition };

/** The resource type's definition, or `undefined` when CloudFormation has no such type. */
export function findResourceType(
  cloudFormationType: string,
): Resource | undefined {
  return specDatabase().lookup(
    'resource',
    'cloudFormationType',
    'equals',
    cloudFormationType,
  )[0];
}

/** Resolves a property type that points at a named structure (`{ type: 'ref' }`). */
export function typeDefinitionOf(
  type: Extract<PropertyType, { type: 'ref' }>,
): TypeDefinition {
  return specDatabase().get('typeDefinition', type.reference);
}

/** Every resource type name, for "did you mean" suggestions. */
export function allResourceTypeNames(): string[] {
  return specDatabase()
    .all('resource')
    .map(resource => resource.cloudFormationType);
}
