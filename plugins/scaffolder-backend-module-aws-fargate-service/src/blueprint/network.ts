import { databaseEngine } from '@golden-path/plugin-cloudformation-common';
import type { FargateServiceSpec } from './input';
import {
  cidr,
  getAZs,
  getAtt,
  ref,
  select,
  sub,
  ResourceHandle,
} from './intrinsics';
import type { Add } from './stack';

export type Network = {
  vpcId: unknown;
  vpcCidr?: unknown;
  publicSubnets: unknown[];
  privateSubnets: unknown[];
};

export function addNetwork(spec: FargateServiceSpec, add: Add): Network {
  if (spec.network.mode === 'existing') {
    return {
      vpcId: spec.network.vpcId,
      publicSubnets: spec.network.publicSubnetIds,
      privateSubnets: spec.network.privateSubnetIds,
    };
  }
  const { cidr: vpcCidr, natGateways } = spec.network;
  // Four equal subnets: the VPC prefix plus two bits.
  const hostBits = 32 - (Number(vpcCidr.split('/')[1]) + 2);
  const vpc = new ResourceHandle('Vpc');
  const subnetCidr = (index: number) =>
    select(index, cidr(vpc.getAtt('CidrBlock'), 4, hostBits));
  const zone = (index: number) => select(index, getAZs());

  add(
    vpc,
    'AWS::EC2::VPC',
    'Virtual network of the service',
    { CidrBlock: vpcCidr, EnableDnsHostnames: true, EnableDnsSupport: true },
    { group: 'network' },
  );
  const internetGateway = add(
    'InternetGateway',
    'AWS::EC2::InternetGateway',
    'Internet gateway of the VPC',
    {},
    { group: 'network' },
  );
  const gatewayAttachment = add(
    'InternetGatewayAttachment',
    'AWS::EC2::VPCGatewayAttachment',
    'Attaches the internet gateway to the VPC',
    {
      VpcId: vpc.ref(),
      InternetGatewayId: internetGateway.ref(),
    },
  );
  add(
    'PublicRouteTable',
    'AWS::EC2::RouteTable',
    'Routes of the public subnets',
    { VpcId: vpc.ref() },
  );
  add(
    'PublicDefaultRoute',
    'AWS::EC2::Route',
    'Sends public subnet traffic to the internet gateway',
    {
      RouteTableId: ref('PublicRouteTable'),
      DestinationCidrBlock: '0.0.0.0/0',
      GatewayId: internetGateway.ref(),
    },
    { dependsOn: [gatewayAttachment] },
  );

  const zones = [1, 2];
  for (const n of zones) {
    add(
      `PublicSubnet${n}`,
      'AWS::EC2::Subnet',
      `Public subnet ${n} (load balancer)`,
      {
        VpcId: vpc.ref(),
        CidrBlock: subnetCidr(n - 1),
        AvailabilityZone: zone(n - 1),
        MapPublicIpOnLaunch: false,
      },
      { group: 'network' },
    );
    add(
      `PublicSubnet${n}RouteTableAssociation`,
      'AWS::EC2::SubnetRouteTableAssociation',
      `Uses the public routes in public subnet ${n}`,
      {
        SubnetId: ref(`PublicSubnet${n}`),
        RouteTableId: ref('PublicRouteTable'),
      },
    );
    add(
      `PrivateSubnet${n}`,
      'AWS::EC2::Subnet',
      `Private subnet ${n} (tasks and database)`,
      {
        VpcId: vpc.ref(),
        CidrBlock: subnetCidr(n + 1),
        AvailabilityZone: zone(n - 1),
        MapPublicIpOnLaunch: false,
      },
      { group: 'network' },
    );
    add(
      `PrivateRouteTable${n}`,
      'AWS::EC2::RouteTable',
      `Routes of private subnet ${n}`,
      { VpcId: vpc.ref() },
    );
    add(
      `PrivateSubnet${n}RouteTableAssociation`,
      'AWS::EC2::SubnetRouteTableAssociation',
      `Uses its own routes in private subnet ${n}`,
      {
        SubnetId: ref(`PrivateSubnet${n}`),
        RouteTableId: ref(`PrivateRouteTable${n}`),
      },
    );
  }

  if (natGateways !== 'none') {
    const gateways = natGateways === 'per-az' ? zones : [1];
    for (const n of gateways) {
      add(
        `NatGateway${n}Eip`,
        'AWS::EC2::EIP',
        `Public address of NAT gateway ${n}`,
        { Domain: 'vpc' },
        { dependsOn: [gatewayAttachment] },
      );
      add(
        `NatGateway${n}`,
        'AWS::EC2::NatGateway',
        `NAT gateway ${n}: outbound internet for the private subnets`,
        {
          AllocationId: getAtt(`NatGateway${n}Eip`, 'AllocationId'),
          SubnetId: ref(`PublicSubnet${n}`),
        },
        { group: 'network' },
      );
    }
    for (const n of zones) {
      add(
        `PrivateDefaultRoute${n}`,
        'AWS::EC2::Route',
        `Sends private subnet ${n} traffic to a NAT gateway`,
        {
          RouteTableId: ref(`PrivateRouteTable${n}`),
          DestinationCidrBlock: '0.0.0.0/0',
          NatGatewayId: ref(`NatGateway${natGateways === 'per-az' ? n : 1}`),
        },
      );
    }
  } else {
    // Without NAT, tasks and the rotation function reach AWS APIs through private endpoints.
    add(
      'EndpointSecurityGroup',
      'AWS::EC2::SecurityGroup',
      'Admits HTTPS from the VPC to the private endpoints',
      {
        GroupDescription: 'HTTPS from the VPC to the VPC endpoints',
        VpcId: vpc.ref(),
        SecurityGroupIngress: [
          {
            IpProtocol: 'tcp',
            FromPort: 443,
            ToPort: 443,
            CidrIp: vpc.getAtt('CidrBlock'),
            Description: 'HTTPS from the VPC',
          },
        ],
      },
    );
    add(
      'S3Endpoint',
      'AWS::EC2::VPCEndpoint',
      'Private route to S3 (ECR image layers)',
      {
        VpcId: vpc.ref(),
        VpcEndpointType: 'Gateway',
        ServiceName: sub('com.amazonaws.${AWS::Region}.s3'),
        RouteTableIds: zones.map(n => ref(`PrivateRouteTable${n}`)),
      },
      { group: 'network' },
    );
    const interfaceEndpoints: Array<[string, string, string]> = [
      ['EcrApiEndpoint', 'ecr.api', 'Private endpoint for the ECR API'],
      ['EcrDockerEndpoint', 'ecr.dkr', 'Private endpoint for ECR image pulls'],
      ['LogsEndpoint', 'logs', 'Private endpoint for CloudWatch Logs'],
      [
        'SecretsManagerEndpoint',
        'secretsmanager',
        'Private endpoint for Secrets Manager',
      ],
    ];
    for (const [logicalId, service, description] of interfaceEndpoints) {
      add(
        logicalId,
        'AWS::EC2::VPCEndpoint',
        description,
        {
          VpcId: vpc.ref(),
          VpcEndpointType: 'Interface',
          ServiceName: sub(`com.amazonaws.\${AWS::Region}.${service}`),
          PrivateDnsEnabled: true,
          SubnetIds: zones.map(n => ref(`PrivateSubnet${n}`)),
          SecurityGroupIds: [getAtt('EndpointSecurityGroup', 'GroupId')],
        },
        { group: 'network' },
      );
    }
  }
  return {
    vpcId: vpc.ref(),
    vpcCidr: vpc.getAtt('CidrBlock'),
    publicSubnets: zones.map(n => ref(`PublicSubnet${n}`)),
    privateSubnets: zones.map(n => ref(`PrivateSubnet${n}`)),
  };
}

/** The security groups other resources join or admit; the rotation function's in secrets-manager mode only. */
export type SecurityGroups = {
  loadBalancer: ResourceHandle;
  service: ResourceHandle;
  database: ResourceHandle;
  rotationFunction?: ResourceHandle;
};

export function addSecurityGroups(
  spec: FargateServiceSpec,
  network: Network,
  add: Add,
): SecurityGroups {
  const https = !!spec.loadBalancer.certificateArn;
  const source =
    spec.loadBalancer.ingressCidr ??
    (spec.loadBalancer.scheme === 'internet-facing'
      ? '0.0.0.0/0'
      : network.vpcCidr);
  const webPorts = https ? [80, 443] : [80];
  const loadBalancer = add(
    'LoadBalancerSecurityGroup',
    'AWS::EC2::SecurityGroup',
    'Admits web traffic to the load balancer',
    {
      GroupDescription: 'Web traffic to the load balancer',
      VpcId: network.vpcId,
      SecurityGroupIngress: webPorts.map(port => ({
        IpProtocol: 'tcp',
        FromPort: port,
        ToPort: port,
        CidrIp: source,
        Description: `Port ${port} from clients`,
      })),
    },
  );
  const service = add(
    'ServiceSecurityGroup',
    'AWS::EC2::SecurityGroup',
    'Admits the load balancer to the containers',
    {
      GroupDescription: 'Load balancer to the service containers',
      VpcId: network.vpcId,
      SecurityGroupIngress: [
        {
          IpProtocol: 'tcp',
          FromPort: spec.container.port,
          ToPort: spec.container.port,
          SourceSecurityGroupId: loadBalancer.getAtt('GroupId'),
          Description: 'Container port from the load balancer',
        },
      ],
    },
  );
  const databasePort = databaseEngine(spec.database.engine).port;
  const databaseClients: Array<[ResourceHandle, string]> = [
    [service, 'Database port from the service'],
  ];
  const rotationFunction =
    spec.credentials.mode === 'secrets-manager'
      ? add(
          'RotationFunctionSecurityGroup',
          'AWS::EC2::SecurityGroup',
          'Network identity of the password rotation function',
          {
            GroupDescription:
              'Secrets Manager rotation function of the database password',
            VpcId: network.vpcId,
          },
        )
      : undefined;
  if (rotationFunction)
    databaseClients.push([
      rotationFunction,
      'Database port from the rotation function',
    ]);
  const database = add(
    'DatabaseSecurityGroup',
    'AWS::EC2::SecurityGroup',
    'Admits only the service to the database port',
    {
      GroupDescription: 'Database port from the service only',
      VpcId: network.vpcId,
      SecurityGroupIngress: databaseClients.map(([group, description]) => ({
        IpProtocol: 'tcp',
        FromPort: databasePort,
        ToPort: databasePort,
        SourceSecurityGroupId: group.getAtt('GroupId'),
        Description: description,
      })),
    },
  );
  return {
    loadBalancer,
    service,
    database,
    ...(rotationFunction ? { rotationFunction } : {}),
  };
}
