export {
  FakeCloudFormation,
  type FakeCloudFormationOptions,
  type FakeEvent,
  type FakeStackScenario,
  type FakeStackView,
  type RecordedCall,
} from './fakeCloudFormation';
export { freePort, startMotoServer, type MotoServer } from './motoServer';
export {
  agreementTable,
  cfnLintAll,
  compareWithCfnLint,
  type CfnLintMatch,
  type DifferentialCase,
  type DifferentialRow,
} from './cfnLintDifferential';
