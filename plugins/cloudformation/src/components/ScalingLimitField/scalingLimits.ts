/**
 * `ui:options` of `ui:field: ScalingLimitField` (the most tasks autoscaling may run): the form
 * fields holding the fewest tasks and the tasks at start, compared with it on the same page.
 */
export type ScalingLimitOptions = {
  minField?: string;
  desiredField?: string;
};

/**
 * What is wrong with the three task counts together, in words; empty when they fit
 * (fewest ≤ at start ≤ most). The same rule as the blueprint, told on the page where it applies.
 */
export function scalingLimitProblems(
  max: number | undefined,
  min: unknown,
  desired: unknown,
): string[] {
  if (typeof max !== 'number') return [];
  const problems: string[] = [];
  if (typeof min === 'number' && min > max) {
    problems.push(
      `The most tasks (${max}) is below the fewest tasks (${min}): raise the most or lower the fewest.`,
    );
  }
  if (
    typeof desired === 'number' &&
    typeof min === 'number' &&
    min <= max &&
    (desired < min || desired > max)
  ) {
    problems.push(
      `The tasks at start (${desired}) must lie between the fewest (${min}) and the most (${max}) tasks.`,
    );
  }
  return problems;
}

/** Validation of `ui:field: ScalingLimitField`, run when the developer leaves the page. */
export function validateScalingLimit(
  value: number | undefined,
  validation: { addError: (message: string) => void },
  context: {
    formData?: Record<string, unknown>;
    uiSchema?: { 'ui:options'?: ScalingLimitOptions };
  },
): void {
  const options = context.uiSchema?.['ui:options'] ?? {};
  const min = context.formData?.[options.minField ?? 'minCapacity'];
  const desired = context.formData?.[options.desiredField ?? 'desiredCount'];
  scalingLimitProblems(value, min, desired).forEach(problem =>
    validation.addError(problem),
  );
}
