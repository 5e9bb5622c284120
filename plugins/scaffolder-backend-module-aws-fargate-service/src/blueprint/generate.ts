import path from 'node:path';
import { catalogModel, type CatalogModel } from './catalog';
import { parseFargateServiceInput, type FargateServiceSpec } from './input';
import {
  renderArchitectureDoc,
  resourceSummaries,
  type ResourceSummary,
} from './renderDocs';
import { renderTemplateYaml } from './renderTemplate';
import { buildStack, type StackModel } from './stack';

/** Where the generated files go, relative to the target path. */
export const GENERATED_PATHS = {
  template: 'infra/template.yaml',
  parameters: 'infra/parameters.json',
  diagram: 'docs/architecture.md',
} as const;

export type GeneratedFile = { path: string; content: string };

export type FargateServiceBlueprint = {
  spec: FargateServiceSpec;
  model: StackModel;
  /** Paths relative to the workspace (target path included), in writing order. */
  files: {
    template: GeneratedFile;
    parameters: GeneratedFile;
    diagram: GeneratedFile;
  };
  resources: ResourceSummary[];
  catalog: CatalogModel;
};

export type GenerateResult =
  | { success: true; blueprint: FargateServiceBlueprint }
  | { success: false; problems: string[] };

/** Input → spec → stack model → files. Pure: nothing is written, so bad input leaves nothing behind. */
export function generateFargateService(input: unknown): GenerateResult {
  const parsed = parseFargateServiceInput(input);
  if (!parsed.success) return parsed;
  const { spec } = parsed;
  const model = buildStack(spec);
  const at = (relative: string) =>
    path.posix.join(spec.targetPath.replace(/\\/g, '/'), relative);
  return {
    success: true,
    blueprint: {
      spec,
      model,
      files: {
        template: {
          path: at(GENERATED_PATHS.template),
          content: renderTemplateYaml(model.template),
        },
        parameters: {
          path: at(GENERATED_PATHS.parameters),
          content: renderParameterFile(model.parameterValues),
        },
        diagram: {
          path: at(GENERATED_PATHS.diagram),
          content: renderArchitectureDoc(spec, model),
        },
      },
      resources: resourceSummaries(model),
      catalog: catalogModel(spec, model.names),
    },
  };
}

/** Parameter values in the AWS CLI's file format (`--parameters file://…`), so the repository's README and CI use them as they are. */
function renderParameterFile(values: Record<string, string>): string {
  const entries = Object.entries(values).map(
    ([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }),
  );
  return `${JSON.stringify(entries, null, 2)}\n`;
}
