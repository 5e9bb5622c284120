import type { FargateServiceSpec } from './input';
import type { ResourceHandle } from './intrinsics';
import { addAccessLogs } from './logging';
import type { Network, SecurityGroups } from './network';
import type { Add } from './stack';

export type LoadBalancer = {
  loadBalancer: ResourceHandle;
  targetGroup: ResourceHandle;
  /** What the service must wait for: a target group serves tasks only once a listener uses it. */
  listeners: ResourceHandle[];
};

export function addLoadBalancer(
  spec: FargateServiceSpec,
  network: Network,
  securityGroups: SecurityGroups,
  add: Add,
): LoadBalancer {
  const { scheme, certificateArn } = spec.loadBalancer;
  const accessLogs = addAccessLogs(spec, add);
  const loadBalancer = add(
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
      SecurityGroups: [securityGroups.loadBalancer.getAtt('GroupId')],
      LoadBalancerAttributes: [
        {
          Key: 'routing.http.drop_invalid_header_fields.enabled',
          Value: 'true',
        },
        {
          Key: 'deletion_protection.enabled',
          Value: String(spec.hardening.loadBalancerDeletionProtection),
        },
        ...accessLogs.attributes,
      ],
    },
    { group: 'loadBalancing', dependsOn: accessLogs.dependsOn },
  );
  const targetGroup = add(
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
  const forward = [{ Type: 'forward', TargetGroupArn: targetGroup.ref() }];
  if (!certificateArn) {
    const http = add(
      'HttpListener',
      'AWS::ElasticLoadBalancingV2::Listener',
      'HTTP listener forwarding to the service',
      {
        LoadBalancerArn: loadBalancer.ref(),
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: forward,
      },
      { group: 'loadBalancing' },
    );
    return { loadBalancer, targetGroup, listeners: [http] };
  }
  const http = add(
    'HttpListener',
    'AWS::ElasticLoadBalancingV2::Listener',
    'HTTP listener redirecting to HTTPS',
    {
      LoadBalancerArn: loadBalancer.ref(),
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
  const https = add(
    'HttpsListener',
    'AWS::ElasticLoadBalancingV2::Listener',
    'HTTPS listener forwarding to the service',
    {
      LoadBalancerArn: loadBalancer.ref(),
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: certificateArn }],
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      DefaultActions: forward,
    },
    { group: 'loadBalancing' },
  );
  return { loadBalancer, targetGroup, listeners: [http, https] };
}
