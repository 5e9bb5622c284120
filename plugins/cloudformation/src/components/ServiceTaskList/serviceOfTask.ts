import { parseEntityRef } from '@backstage/catalog-model';
import type { ScaffolderTask } from '@backstage/plugin-scaffolder-react';

/** What the task list says a task is about. */
export interface TaskSubject {
  /** The service's name, when the task's parameters name one. */
  service?: string;
  /** Its environment (`dev`, `staging`, `prod`), when given. */
  environment?: string;
  /** The template's title, else its entity ref. */
  template: string;
}

/**
 * The service a task creates or changes, read from its parameters: `name` (the golden path) or the
 * catalog entity it was started for (`entity`, as the retire template takes it).
 */
export function subjectOfTask(task: ScaffolderTask): TaskSubject {
  const parameters = task.spec.parameters ?? {};
  const text = (key: string) =>
    typeof parameters[key] === 'string' && parameters[key]
      ? (parameters[key] as string)
      : undefined;
  const entity = text('entity');
  let service = text('name');
  if (!service && entity) {
    try {
      service = parseEntityRef(entity).name;
    } catch {
      service = entity;
    }
  }
  const templateInfo = task.spec.templateInfo;
  return {
    ...(service ? { service } : {}),
    ...(text('environment') ? { environment: text('environment') } : {}),
    template:
      (templateInfo?.entity?.metadata as { title?: string } | undefined)
        ?.title ??
      templateInfo?.entityRef ??
      'unknown template',
  };
}
