import {
  CONTROL_RULES,
  validateTemplate,
} from '@golden-path/plugin-scaffolder-backend-module-aws-cloudformation';
import { parseTemplate } from '@golden-path/plugin-cloudformation-node';
import { INPUT_MATRIX } from '../testUtils/inputMatrix';
import { generateFargateService } from './generate';

// The validator's hardening control rules say what this blueprint guarantees; the golden-path template turns
// them on (checkControls), so every generated stack must meet them without a warning.
describe("the validator's hardening controls over the input matrix", () => {
  it('names the rules it checks', () => {
    expect(CONTROL_RULES.length).toBeGreaterThanOrEqual(5);
  });

  it.each(Object.entries(INPUT_MATRIX))(
    '%s meets every control',
    (_name, input) => {
      const result = generateFargateService(input);
      if (!result.success) throw new Error(result.problems.join('\n'));
      const findings = validateTemplate(
        parseTemplate(result.blueprint.files.template.content),
        { controls: true },
      );
      expect(
        findings.map(
          finding => `${finding.severity} ${finding.rule} ${finding.path}`,
        ),
      ).toEqual([]);
    },
  );
});
