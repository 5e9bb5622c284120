import type { FargateServiceSpec } from './input';
import { getAtt, ref } from './intrinsics';
import { addAccessLogs } from './logging';
import type { Network } from './network';
import type { Add } from './stack';

/** Adds the load balancer; returns the listeners the service must wait for. */
export function addLoadBalancer(
  spec: FargateServiceSpec,
  network: Network,
  add: Add,
): string[] {
  const { scheme, certificateArn } = spec.loadBalancer;
  const accessLogAttributes = addAccessLogs(spec, add);
  add(
    'LoadBalancer',
    'AWS::ElasticLoadBalancingV2::LoadBalancer',
    `Application load balancer (${scheme})`,
    {
      Type: 'application',
      Scheme: scheme,
      Subnets:
        scheme === 'internet-facing'
          ? network.publicSubnets
          : network.privateSubnets,
      SecurityGroups: [getAtt('LoadBalancerSecurityGroup', 'GroupId')],
      LoadBalancerAttributes: [
        {
          Key: 'routing.http.drop_invalid_header_fields.enabled',
          Value: 'true',
        },
        {
          Key: 'deletion_protection.enabled',
          Value: String(spec.hardening.loadBalancerDeletionProtection),
        },
        ...accessLogAttributes,
      ],
    },
    {
      group: 'loadBalancing',
      dependsOn: accessLogAttributes.length ? ['AccessLogsBucketPolicy'] : [],
    },
  );
  add(
    'TargetGroup',
    'AWS::ElasticLoadBalancingV2::TargetGroup',
    'Service tasks behind the load balancer, with their health check',
    {
      TargetType: 'ip',
      Protocol: 'HTTP',
      Port: spec.container.port,
      VpcId: network.vpcId,
      HealthCheckProtocol: 'HTTP',
      HealthCheckPath: spec.container.healthCheckPath,
      Matcher: { HttpCode: '200-399' },
      TargetGroupAttributes: [
        { Key: 'deregistration_delay.timeout_seconds', Value: '30' },
      ],
    },
    { group: 'loadBalancing' },
  );
  const forward = [{ Type: 'forward', TargetGroupArn: ref('TargetGroup') }];
  if (!certificateArn) {
    add(
      'HttpListener',
      'AWS::ElasticLoadBalancingV2::Listener',
      'HTTP listener forwarding to the service',
      {
        LoadBalancerArn: ref('LoadBalancer'),
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: forward,
      },
      { group: 'loadBalancing' },
    );
    return ['HttpListener'];
  }
  add(
    'HttpListener',
    'AWS::ElasticLoadBalancingV2::Listener',
    'HTTP listener redirecting to HTTPS',
    {
      LoadBalancerArn: ref('LoadBalancer'),
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [
        {
          Type: 'redirect',
          RedirectConfig: {
            Protocol: 'HTTPS',
            Port: '443',
            StatusCode: 'HTTP_301',
          },
        },
      ],
    },
    { group: 'loadBalancing' },
  );
  add(
    'HttpsListener',
    'AWS::ElasticLoadBalancingV2::Listener',
    'HTTPS listener forwarding to the service',
    {
      LoadBalancerArn: ref('LoadBalancer'),
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: certificateArn }],
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      DefaultActions: forward,
    },
    { group: 'loadBalancing' },
  );
  return ['HttpListener', 'HttpsListener'];
}
