export { LoadBalancerSchemeField } from './LoadBalancerSchemeField';
export type { LoadBalancerSchemeFieldProps } from './LoadBalancerSchemeField';
export { validateLoadBalancerScheme } from './subnetRules';
export type { LoadBalancerSchemeOptions } from './subnetRules';

/** The name templates use: `ui:field: LoadBalancerSchemeField`. */
export const LOAD_BALANCER_SCHEME_FIELD = 'LoadBalancerSchemeField';
