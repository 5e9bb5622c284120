/** Where a service name can already be in use. */
export type ServiceNameUse = 'catalog' | 'repository' | 'stack';

/**
 * Body of `GET /api/cloudformation/service-names/:name`: whether a new service may take the name.
 * `takenBy` lists what already uses it; `unchecked` what could not be asked, each in a sentence.
 */
export interface ServiceNameAvailability {
  name: string;
  /** Nothing that was checked uses the name. */
  available: boolean;
  takenBy: Array<{ use: ServiceNameUse; message: string }>;
  unchecked: Array<{ use: ServiceNameUse; message: string }>;
}
