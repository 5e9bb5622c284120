import {
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RouteTable,
  Tag,
} from '@aws-sdk/client-ec2';
import express from 'express';
import Router from 'express-promise-router';
import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { AwsCredentialsManager } from '@backstage/integration-aws-node';
import {
  AwsNetworkListing,
  AwsSubnetChoice,
} from '@golden-path/plugin-cloudformation-common';
import { readAwsCloudFormationAllowlist } from '@golden-path/plugin-cloudformation-node';
import { isAccessDenied, isMissingCredentials } from './awsErrors';

/** What the pickers need to read; the README's IAM policy grants exactly these. */
const EC2_READS =
  'ec2:DescribeVpcs, ec2:DescribeSubnets and ec2:DescribeRouteTables';

/**
 * `GET /networks?accountId=&region=`: the VPCs and subnets of an allowed account and region, each
 * subnet marked public when its route table reaches an internet gateway — for the form's VPC and
 * subnet pickers. Outside the allowlist, without credentials or when AWS refuses, it answers
 * `unavailable` with a sentence, and the form takes typed-in ids.
 */
export function createNetworkRouter(options: {
  httpAuth: HttpAuthService;
  config: Config;
  credentialsManager: AwsCredentialsManager;
  logger: LoggerService;
}): express.Router {
  const { httpAuth, config, credentialsManager, logger } = options;
  const router = Router();

  router.get('/networks', async (req, res) => {
    // Users only: a VPC layout is for the people creating services, not for anonymous callers.
    await httpAuth.credentials(req, { allow: ['user'] });
    const accountId =
      typeof req.query.accountId === 'string' && req.query.accountId
        ? req.query.accountId
        : undefined;
    const region = typeof req.query.region === 'string' ? req.query.region : '';
    if (accountId && !/^\d{12}$/.test(accountId))
      throw new InputError('accountId must be 12 digits.');
    if (!/^[a-z]{2,}(?:-[a-z]+)+-\d+$/.test(region))
      throw new InputError(
        'region must be an AWS region name such as us-east-1.',
      );

    const allowlist = readAwsCloudFormationAllowlist(config);
    const where = `${region}${accountId ? ` of account ${accountId}` : ''}`;
    const unavailable = (message: string): AwsNetworkListing => ({
      status: 'unavailable',
      message,
    });
    if (
      !allowlist.regions.includes(region) ||
      (accountId && !allowlist.accountIds.includes(accountId))
    ) {
      res.json(
        unavailable(
          `Deploys to ${where} are not allowed (aws.cloudformation allowlist), so its VPCs are not listed.`,
        ),
      );
      return;
    }
    try {
      const { sdkCredentialProvider } =
        await credentialsManager.getCredentialProvider({ accountId });
      // No `endpoint`: the SDK honours AWS_ENDPOINT_URL(_EC2) itself.
      const client = new EC2Client({
        region,
        credentials: sdkCredentialProvider,
      });
      res.json(await listNetworks(client));
    } catch (error) {
      logger.warn(`Could not list the VPCs of ${where}: ${error}`);
      if (isMissingCredentials(error)) {
        res.json(
          unavailable(
            `Backstage has no AWS credentials for ${where}: type the VPC and subnet ids.`,
          ),
        );
      } else if (isAccessDenied(error)) {
        res.json(
          unavailable(
            `AWS denied Backstage listing the VPCs of ${where} (it needs ${EC2_READS}): type the ids.`,
          ),
        );
      } else {
        const name = error instanceof Error ? error.name : 'an unknown error';
        res.json(
          unavailable(
            `Listing the VPCs of ${where} failed (${name}): type the ids; the backend log has the details.`,
          ),
        );
      }
    }
  });

  return router;
}

async function listNetworks(client: EC2Client): Promise<AwsNetworkListing> {
  // One page each is plenty for a picker; accounts with more VPCs still accept typed-in ids.
  const [{ Vpcs = [] }, { Subnets = [] }, { RouteTables = [] }] =
    await Promise.all([
      client.send(new DescribeVpcsCommand({ MaxResults: 1000 })),
      client.send(new DescribeSubnetsCommand({ MaxResults: 1000 })),
      client.send(new DescribeRouteTablesCommand({ MaxResults: 100 })),
    ]);
  const isPublic = publicSubnetTest(RouteTables);
  return {
    status: 'available',
    vpcs: Vpcs.map(vpc => ({
      vpcId: vpc.VpcId!,
      cidrBlock: vpc.CidrBlock,
      name: nameTag(vpc.Tags),
      isDefault: Boolean(vpc.IsDefault),
    })),
    subnets: Subnets.map((subnet): AwsSubnetChoice => ({
      subnetId: subnet.SubnetId!,
      vpcId: subnet.VpcId!,
      availabilityZone: subnet.AvailabilityZone,
      cidrBlock: subnet.CidrBlock,
      name: nameTag(subnet.Tags),
      public: isPublic(subnet.SubnetId!, subnet.VpcId!),
    })),
  };
}

/**
 * A subnet is public when its route table — the one associated with it, else its VPC's main
 * table — has a route to an internet gateway.
 */
export function publicSubnetTest(routeTables: RouteTable[]) {
  const reachesInternet = (table: RouteTable) =>
    (table.Routes ?? []).some(route => route.GatewayId?.startsWith('igw-'));
  const bySubnet = new Map<string, boolean>();
  const mainByVpc = new Map<string, boolean>();
  for (const table of routeTables) {
    for (const association of table.Associations ?? []) {
      if (association.SubnetId)
        bySubnet.set(association.SubnetId, reachesInternet(table));
      if (association.Main && table.VpcId)
        mainByVpc.set(table.VpcId, reachesInternet(table));
    }
  }
  return (subnetId: string, vpcId: string) =>
    bySubnet.get(subnetId) ?? mainByVpc.get(vpcId) ?? false;
}

function nameTag(tags: Tag[] | undefined): string | undefined {
  return tags?.find(tag => tag.Key === 'Name')?.Value;
}
