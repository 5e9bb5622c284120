import { createHash } from 'node:crypto';
import { METADATA_DESCRIPTION_KEY } from '@golden-path/plugin-cloudformation-common';
import {
  isRecord,
  parseTemplate,
} from '@golden-path/plugin-cloudformation-node';

/** CloudFormation's limit for a template passed inline (`TemplateBody`), in bytes. */
export const MAX_INLINE_TEMPLATE_BYTES = 51_200;

/** A template parameter as far as deploying needs it. */
export interface TemplateParameter {
  noEcho: boolean;
  hasDefault: boolean;
}

/** A template resource as far as deploying needs it. */
export interface TemplateResource {
  logicalId: string;
  type: string;
  /** The resource's `Metadata['backstage:description']`, shown next to its logical id. */
  description?: string;
}

/** What the deploy engine reads from a template. */
export interface TemplateFacts {
  parameters: Record<string, TemplateParameter>;
  resources: TemplateResource[];
  /** Output values in long form (`{ Ref: 'Bucket' }`, `{ 'Fn::GetAtt': ['Role', 'Arn'] }`, …). */
  outputs: Record<string, unknown>;
}

/** The template cannot be read as CloudFormation. */
export class TemplateError extends Error {
  override name = 'TemplateError';
}

/** Parses a JSON or YAML template (short-form tags included) into a plain object. */
function parseTemplateObject(body: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = parseTemplate(body);
  } catch (error) {
    throw new TemplateError(
      `The template is neither valid JSON nor valid YAML: ${(error as Error).message}`,
    );
  }
  if (!isRecord(parsed)) {
    throw new TemplateError(
      'The template must be a JSON or YAML object with a Resources section.',
    );
  }
  return parsed;
}

/** Reads the parameters, resources and outputs of a template. */
export function readTemplate(body: string): TemplateFacts {
  const template = parseTemplateObject(body);
  if (
    !isRecord(template.Resources) ||
    Object.keys(template.Resources).length === 0
  ) {
    throw new TemplateError(
      'The template has no Resources; CloudFormation needs at least one resource.',
    );
  }
  const parameters: Record<string, TemplateParameter> = {};
  for (const [key, value] of Object.entries(
    isRecord(template.Parameters) ? template.Parameters : {},
  )) {
    const definition = isRecord(value) ? value : {};
    parameters[key] = {
      noEcho:
        definition.NoEcho === true ||
        String(definition.NoEcho).toLowerCase() === 'true',
      hasDefault: definition.Default !== undefined,
    };
  }
  const resources = Object.entries(template.Resources).map(
    ([logicalId, value]): TemplateResource => {
      const definition = isRecord(value) ? value : {};
      const metadata = isRecord(definition.Metadata) ? definition.Metadata : {};
      const description = metadata[METADATA_DESCRIPTION_KEY];
      return {
        logicalId,
        type: typeof definition.Type === 'string' ? definition.Type : 'Unknown',
        ...(typeof description === 'string' ? { description } : {}),
      };
    },
  );
  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(
    isRecord(template.Outputs) ? template.Outputs : {},
  )) {
    outputs[key] = isRecord(value) ? value.Value : undefined;
  }
  return { parameters, resources, outputs };
}

/** Stable hex digest of texts, used to key checkpoints and name change sets. */
export function digest(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    hash.update(part).update('\0');
  }
  return hash.digest('hex');
}
