/**
 * AWS console URLs, built in one place. The region goes into the host and the query; `fragment` is the
 * console's in-page route (after `#`), whose own values the caller encodes.
 */
export function consoleUrl(
  region: string,
  path: string,
  fragment?: string,
): string {
  const encodedRegion = encodeURIComponent(region);
  return `https://${encodedRegion}.console.aws.amazon.com/${path}?region=${encodedRegion}${fragment === undefined ? '' : `#${fragment}`}`;
}

/** The stack's page, by stack id (ARN) or name, with the id left to append (URL-encoded) where it is known only after a deploy. */
export function stackConsoleUrlPrefix(region: string): string {
  return consoleUrl(
    region,
    'cloudformation/home',
    '/stacks/stackinfo?stackId=',
  );
}

export function stackConsoleUrl(region: string, stackIdOrName: string): string {
  return `${stackConsoleUrlPrefix(region)}${encodeURIComponent(stackIdOrName)}`;
}
