// The differential harness stays with the validator it compares; the test doubles are in
// @golden-path/plugin-cloudformation-node/testUtils.
export {
  agreementTable,
  compareWithCfnLint,
  type DifferentialCase,
  type DifferentialRow,
} from './cfnLintDifferential';
