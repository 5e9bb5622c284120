export {
  FakeCloudFormation,
  FakeError,
  type FakeCloudFormationExtension,
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
export { FakeStackDrift, type FakeDriftScenario } from './fakeDrift';
export {
  FakeCloudTrail,
  type FakeTrailIdentity,
  type FakeTrailRecord,
} from './fakeCloudTrail';
