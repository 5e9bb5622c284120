import {
  loadBalancerSchemeProblems,
  validateLoadBalancerScheme,
} from './subnetRules';

describe('loadBalancerSchemeProblems', () => {
  const twoSubnets = ['subnet-0a1b2c3d', 'subnet-1a2b3c4d'];

  it.each([
    ['internet-facing', 'new', undefined, 0],
    ['internal', 'existing', undefined, 0],
    ['internet-facing', 'existing', twoSubnets, 0],
    ['internet-facing', 'existing', undefined, 1],
    ['internet-facing', 'existing', ['subnet-0a1b2c3d', ' '], 1],
  ])(
    '%s load balancer in a %s VPC with public subnets %p: %d problem(s)',
    (scheme, network, subnets, count) => {
      expect(loadBalancerSchemeProblems(scheme, network, subnets)).toHaveLength(
        count,
      );
    },
  );

  it('says how many subnets it found and what to do', () => {
    expect(
      loadBalancerSchemeProblems('internet-facing', 'existing', [
        'subnet-0a1b2c3d',
      ]),
    ).toEqual([
      'An internet-facing load balancer needs public subnets in at least 2 Availability Zones of the existing VPC (1 given): ' +
        'add them under "Public subnet ids", or choose an internal load balancer.',
    ]);
  });

  it('validates against the fields its ui:options name', () => {
    const addError = jest.fn();
    validateLoadBalancerScheme(
      'internet-facing',
      { addError },
      {
        formData: { vpc: 'existing', lbSubnets: twoSubnets },
        uiSchema: {
          'ui:options': {
            networkField: 'vpc',
            publicSubnetsField: 'lbSubnets',
          },
        },
      },
    );
    expect(addError).not.toHaveBeenCalled();
  });
});
