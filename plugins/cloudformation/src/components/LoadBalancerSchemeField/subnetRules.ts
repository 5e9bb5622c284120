/**
 * `ui:options` of `ui:field: LoadBalancerSchemeField`: the form fields saying whether the VPC is
 * an existing one and which of its subnets are public.
 */
export type LoadBalancerSchemeOptions = {
  networkField?: string;
  publicSubnetsField?: string;
};

/** An Application Load Balancer needs subnets in at least two Availability Zones. */
const MIN_LOAD_BALANCER_SUBNETS = 2;

/**
 * What is wrong with the load balancer's scheme given the VPC choice, in words; empty when it fits.
 * Only an existing VPC can lack public subnets: a new VPC gets them.
 */
export function loadBalancerSchemeProblems(
  scheme: unknown,
  network: unknown,
  publicSubnetIds: unknown,
): string[] {
  if (scheme !== 'internet-facing' || network !== 'existing') return [];
  const subnets = Array.isArray(publicSubnetIds)
    ? publicSubnetIds.filter(id => typeof id === 'string' && id.trim())
    : [];
  if (subnets.length >= MIN_LOAD_BALANCER_SUBNETS) return [];
  return [
    `An internet-facing load balancer needs public subnets in at least ${MIN_LOAD_BALANCER_SUBNETS} Availability Zones ` +
      `of the existing VPC (${subnets.length} given): add them under "Public subnet ids", or choose an internal load balancer.`,
  ];
}

/** Validation of `ui:field: LoadBalancerSchemeField`, run when the developer leaves the page. */
export function validateLoadBalancerScheme(
  value: string | undefined,
  validation: { addError: (message: string) => void },
  context: {
    formData?: Record<string, unknown>;
    uiSchema?: { 'ui:options'?: LoadBalancerSchemeOptions };
  },
): void {
  const options = context.uiSchema?.['ui:options'] ?? {};
  loadBalancerSchemeProblems(
    value,
    context.formData?.[options.networkField ?? 'network'],
    context.formData?.[options.publicSubnetsField ?? 'publicSubnetIds'],
  ).forEach(problem => validation.addError(problem));
}
