import { ResourceHandle, referencesIn, sub } from './intrinsics';
import { generateFargateService } from './generate';

describe('resource handles', () => {
  const database = new ResourceHandle('Database');

  it('point at their resource with Ref, GetAtt and Sub placeholders', () => {
    expect(database.ref().toJSON()).toEqual({ Ref: 'Database' });
    expect(database.getAtt('Endpoint.Port').toJSON()).toEqual({
      'Fn::GetAtt': ['Database', 'Endpoint.Port'],
    });
    expect(database.placeholder()).toBe('${Database}');
    expect(database.placeholder('Endpoint.Address')).toBe(
      '${Database.Endpoint.Address}',
    );
    expect(
      referencesIn(sub(`host=${database.placeholder('Endpoint.Address')}`)),
    ).toEqual(['Database']);
  });

  it('link the builders: every DependsOn and reference names a resource of the stack', () => {
    for (const credentialsMode of ['rds-managed', 'secrets-manager']) {
      const result = generateFargateService({
        serviceName: 'orders',
        credentialsMode,
        loadBalancerAccessLogs: true,
        certificateArn:
          'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789',
      });
      if (!result.success) throw new Error(result.problems.join('\n'));
      const { Resources, Parameters } = result.blueprint.model.template;
      const known = new Set([
        ...Object.keys(Resources),
        ...Object.keys(Parameters),
      ]);
      for (const [logicalId, resource] of Object.entries(Resources)) {
        const pointsAt = [
          ...(resource.DependsOn ?? []),
          ...referencesIn(resource.Properties),
        ];
        expect({
          logicalId,
          unknown: pointsAt.filter(target => !known.has(target)),
        }).toEqual({ logicalId, unknown: [] });
      }
      expect(Resources[result.blueprint.model.entryPoint.logicalId].Type).toBe(
        'AWS::ElasticLoadBalancingV2::LoadBalancer',
      );
    }
  });
});
