import { parse, validate } from '@aws-sdk/util-arn-parser';

/** The parts of `arn:<partition>:<service>:<region>:<accountId>:<resource>`. */
export interface Arn {
  partition: string;
  service: string;
  /** Empty for global services (IAM, S3). */
  region: string;
  /** Empty for S3 buckets and AWS-owned resources. */
  accountId: string;
  /** Everything after the account, e.g. `stack/<name>/<id>` or `function:<name>[:<qualifier>]`. */
  resource: string;
}

/** The parts of an ARN, or `undefined` when the text is not one. */
export function parseArn(text: string | undefined): Arn | undefined {
  return text && validate(text) ? parse(text) : undefined;
}

/** Account id of an ARN such as a stack or change set id; `undefined` when it has none. */
export function accountOfArn(text: string | undefined): string | undefined {
  return parseArn(text)?.accountId || undefined;
}
