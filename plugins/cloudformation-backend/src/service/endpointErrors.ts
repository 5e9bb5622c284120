/** What the SDK attaches to an error about the HTTP answer it could not use. */
interface SdkErrorShape {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  $response?: {
    statusCode?: number;
    headers?: Record<string, string | undefined>;
  };
}

/**
 * One sentence for a CloudFormation call whose endpoint answered something other than an AWS
 * error it could act on: a non-AWS body (an HTML error page, a proxy's answer) or a 5xx. It names
 * the call, the HTTP status and what to check; `undefined` for every other error (access denied,
 * throttling, a missing stack), which callers explain themselves.
 *
 * The SDK's own message for these ("XML parse error … inspect the hidden field
 * {error}.$response") is for the backend log, not for a catalog reader.
 */
export function describeEndpointFailure(
  call: string,
  stackName: string,
  error: unknown,
): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const sdkError = error as SdkErrorShape;
  const status =
    sdkError.$metadata?.httpStatusCode ?? sdkError.$response?.statusCode;
  const contentType =
    headerOf(sdkError.$response?.headers, 'content-type') ?? '';
  // The SDK marks a body it could not parse by appending this hint to the parser's message.
  const unparsable = /Deserialization error/.test(sdkError.message ?? '');

  if (unparsable) {
    const body = /html/i.test(contentType)
      ? 'an HTML page'
      : 'a body that is not an AWS response';
    return (
      `${call} for stack ${stackName} answered HTTP ${status ?? 'without a status'} with ${body}: ` +
      'check that the CloudFormation endpoint (AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_CLOUDFORMATION, if set) ' +
      `is CloudFormation or an emulator that supports ${call}; the backend log has the details.`
    );
  }
  if (status !== undefined && status >= 500) {
    return (
      `${call} for stack ${stackName} failed on the CloudFormation side with HTTP ${status}` +
      `${sdkError.name && sdkError.name !== 'Error' ? ` (${sdkError.name})` : ''}: ` +
      'try again in a minute, and check the endpoint (AWS_ENDPOINT_URL, if set) or the AWS Health Dashboard if it persists.'
    );
  }
  return undefined;
}

function headerOf(
  headers: Record<string, string | undefined> | undefined,
  name: string,
): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find(
    candidate => candidate.toLowerCase() === name,
  );
  return key ? headers[key] : undefined;
}

/** An endpoint failure of the call that reads the stack itself, already put in words. */
export class EndpointFailureError extends Error {
  override readonly name = 'EndpointFailureError';
}

/** Throws {@link EndpointFailureError} when `error` is an endpoint failure of `call`; returns otherwise. */
export function throwIfEndpointFailure(
  call: string,
  stackName: string,
  error: unknown,
): void {
  const sentence = describeEndpointFailure(call, stackName, error);
  if (sentence) throw new EndpointFailureError(sentence, { cause: error });
}
