import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { cfnGuardMany, type GuardResult } from '../testUtils/cfnGuard';
import { INPUT_MATRIX } from '../testUtils/inputMatrix';
import {
  generateFargateService,
  type FargateServiceBlueprint,
} from './generate';
import type { FargateServiceSpec } from './input';

type Condition = unknown[] | { lessThan: number } | { not: unknown[] };
type Exemption = {
  control: string;
  resource: string | string[];
  when?: Record<string, Condition>;
  reason: string;
};

const EXEMPTIONS: Exemption[] = parse(
  readFileSync(path.join(__dirname, '../../cfn-guard-exemptions.yaml'), 'utf8'),
);

function blueprintFor(input: Record<string, unknown>): FargateServiceBlueprint {
  const result = generateFargateService(input);
  if (!result.success) throw new Error(result.problems.join('\n'));
  return result.blueprint;
}

function valueAt(spec: FargateServiceSpec, dotted: string): unknown {
  return (
    dotted
      .split('.')
      .reduce<unknown>(
        (value, key) => (value as Record<string, unknown> | undefined)?.[key],
        spec,
      ) ?? null
  );
}

function holds(condition: Condition, value: unknown): boolean {
  if (Array.isArray(condition)) return condition.includes(value);
  if ('lessThan' in condition)
    return typeof value === 'number' && value < condition.lessThan;
  return !condition.not.includes(value);
}

function exemptionFor(
  control: string,
  resource: string,
  spec: FargateServiceSpec,
): Exemption | undefined {
  return EXEMPTIONS.find(
    exemption =>
      exemption.control === control &&
      [exemption.resource].flat().includes(resource) &&
      Object.entries(exemption.when ?? {}).every(([field, condition]) =>
        holds(condition, valueAt(spec, field)),
      ),
  );
}

describe('AWS Control Tower rules (cfn-guard) over the input matrix', () => {
  const blueprints = Object.fromEntries(
    Object.entries(INPUT_MATRIX).map(([name, input]) => [
      name,
      blueprintFor(input),
    ]),
  );
  let results: Record<string, GuardResult>;

  beforeAll(async () => {
    // Written as long-form JSON, as the rules expect; one cfn-guard run for the whole matrix.
    results = await cfnGuardMany(
      Object.fromEntries(
        Object.entries(blueprints).map(([name, blueprint]) => [
          name,
          blueprint.model.template,
        ]),
      ),
    );
    printTable(results, blueprints);
  }, 300_000);

  it('evaluates every combination', () => {
    expect(Object.keys(results).sort()).toEqual(
      Object.keys(INPUT_MATRIX).sort(),
    );
    for (const result of Object.values(results))
      expect(result.compliant.length).toBeGreaterThan(20);
  });

  it('has no failure outside the exemption file', () => {
    const unexempted = Object.entries(results).flatMap(([name, result]) =>
      result.failures
        .filter(
          failure =>
            !exemptionFor(
              failure.control,
              failure.resource,
              blueprints[name].spec,
            ),
        )
        .map(failure => `${name}: ${failure.control} on ${failure.resource}`),
    );
    expect(unexempted).toEqual([]);
  });

  it('keeps no exemption that nothing needs, and gives each a rule, a resource and a reason', () => {
    for (const exemption of EXEMPTIONS) {
      expect(exemption).toEqual({
        control: expect.stringMatching(/^CT\.[A-Z0-9]+\.PR\.\d+$/),
        resource: expect.anything(),
        reason: expect.stringMatching(/^.{40,}$/),
        ...(exemption.when ? { when: expect.any(Object) } : {}),
      });
      const used = Object.entries(results).some(([name, result]) =>
        result.failures.some(
          failure =>
            exemptionFor(
              failure.control,
              failure.resource,
              blueprints[name].spec,
            ) === exemption,
        ),
      );
      expect({
        exemption: `${exemption.control} ${exemption.resource}`,
        used,
      }).toEqual({
        exemption: `${exemption.control} ${exemption.resource}`,
        used: true,
      });
    }
  });

  it('with prod defaults, fails only what no input can change: default ports, the access-log bucket ELB dictates', () => {
    const prod = results['prod-defaults'].failures.map(
      failure => `${failure.control} ${failure.resource}`,
    );
    expect(new Set(prod)).toEqual(
      new Set([
        'CT.RDS.PR.20 Database',
        ...['CT.S3.PR.10', 'CT.S3.PR.2', 'CT.S3.PR.4', 'CT.S3.PR.9'].map(
          control => `${control} AccessLogsBucket`,
        ),
      ]),
    );
  });
});

/** Rule × combination: ok, FAIL, exempt, or blank when the rule does not apply. Columns are numbered; the legend names them. */
function printTable(
  results: Record<string, GuardResult>,
  blueprints: Record<string, FargateServiceBlueprint>,
) {
  const names = Object.keys(results);
  const controls = [
    ...new Set(
      Object.values(results).flatMap(result => [
        ...result.compliant,
        ...result.failures.map(failure => failure.control),
      ]),
    ),
  ].sort();
  const cell = (control: string, name: string) => {
    const result = results[name];
    const failures = result.failures.filter(
      failure => failure.control === control,
    );
    if (failures.length)
      return failures.every(failure =>
        exemptionFor(control, failure.resource, blueprints[name].spec),
      )
        ? 'exempt'
        : 'FAIL';
    return result.compliant.includes(control) ? 'ok' : '';
  };
  const width = Math.max(...controls.map(control => control.length));
  const lines = [
    `${'rule'.padEnd(width)} | ${names.map((_, index) => String(index + 1).padStart(6)).join(' ')}`,
    ...controls.map(
      control =>
        `${control.padEnd(width)} | ${names.map(name => cell(control, name).padStart(6)).join(' ')}`,
    ),
    '',
    ...names.map((name, index) => `${String(index + 1).padStart(2)}: ${name}`),
  ];
  // eslint-disable-next-line no-console
  console.log(
    `cfn-guard, AWS Control Tower rules × input matrix\n${lines.join('\n')}`,
  );
}
