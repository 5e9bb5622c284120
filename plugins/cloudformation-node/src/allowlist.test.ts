import { ConfigReader } from '@backstage/config';
import { readAwsCloudFormationAllowlist } from './allowlist';

type ConfigData = NonNullable<ConstructorParameters<typeof ConfigReader>[0]>;

const read = (cloudformation?: ConfigData) =>
  readAwsCloudFormationAllowlist(
    new ConfigReader(cloudformation ? { aws: { cloudformation } } : {}),
  );

describe('readAwsCloudFormationAllowlist', () => {
  it('allows nothing when nothing is configured', () => {
    expect(read()).toEqual({ accountIds: [], regions: [] });
  });

  it('takes the listed accounts and regions', () => {
    expect(
      read({
        allowedAccountIds: ['111122223333'],
        allowedRegions: ['eu-west-1', 'eu-central-1'],
        defaultRegion: 'eu-west-1',
      }),
    ).toEqual({
      accountIds: ['111122223333'],
      regions: ['eu-west-1', 'eu-central-1'],
      defaultRegion: 'eu-west-1',
    });
  });

  it('allows only the default region when no region is listed', () => {
    expect(
      read({ allowedRegions: [], defaultRegion: 'us-east-1' }).regions,
    ).toEqual(['us-east-1']);
    expect(read({ defaultRegion: 'us-east-1' }).regions).toEqual(['us-east-1']);
  });
});
