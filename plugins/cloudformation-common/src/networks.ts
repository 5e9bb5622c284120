/** A VPC of the chosen account and region, as the form's pickers offer it. */
export interface AwsVpcChoice {
  vpcId: string;
  cidrBlock?: string;
  /** Its `Name` tag. */
  name?: string;
  isDefault: boolean;
}

/** A subnet, with whether its route table sends traffic to an internet gateway. */
export interface AwsSubnetChoice {
  subnetId: string;
  vpcId: string;
  availabilityZone?: string;
  cidrBlock?: string;
  name?: string;
  public: boolean;
}

/**
 * Body of `GET /api/cloudformation/networks?accountId=&region=`. `unavailable` says, in a sentence,
 * why the VPCs cannot be listed; the form then takes typed-in ids.
 */
export type AwsNetworkListing =
  | { status: 'available'; vpcs: AwsVpcChoice[]; subnets: AwsSubnetChoice[] }
  | { status: 'unavailable'; message: string };
