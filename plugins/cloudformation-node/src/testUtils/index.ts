/**
 * Test doubles for code that talks to CloudFormation, published as `@golden-path/plugin-cloudformation-node/testUtils`.
 *
 * @packageDocumentation
 */
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
export { FakeStackDrift, type FakeDriftScenario } from './fakeDrift';
export {
  FakeCloudTrail,
  type FakeTrailIdentity,
  type FakeTrailRecord,
} from './fakeCloudTrail';
export { cfnLintAll, type CfnLintMatch } from './cfnLint';
