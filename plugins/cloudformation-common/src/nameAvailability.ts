/** Where a service name can already be in use. */
export type ServiceNameUse = 'catalog' | 'repository' | 'stack';

/**
 * Body of `GET /api/cloudformation/service-names/:name`: whether a new service may take the name.
 * `takenBy` lists what already uses it; `unchecked` what could not be asked; `continues` what an
 * earlier run of the same service that did not finish left, which creating the service continues
 * (see `unfinishedRunRefusal`). Each in a sentence.
 */
export interface ServiceNameAvailability {
  name: string;
  /** Nothing that was checked uses the name, other than the unfinished run continued. */
  available: boolean;
  takenBy: Array<{ use: ServiceNameUse; message: string }>;
  unchecked: Array<{ use: ServiceNameUse; message: string }>;
  continues: Array<{ use: ServiceNameUse; message: string }>;
  /** The earlier run's task, when the name belongs to a run of this service that did not finish. */
  unfinishedRun?: { taskId: string; status: string };
}
