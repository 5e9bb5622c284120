export { ScalingLimitField } from './ScalingLimitField';
export type { ScalingLimitFieldProps } from './ScalingLimitField';
export { validateScalingLimit } from './scalingLimits';
export type { ScalingLimitOptions } from './scalingLimits';

/** The name templates use: `ui:field: ScalingLimitField`. */
export const SCALING_LIMIT_FIELD = 'ScalingLimitField';
