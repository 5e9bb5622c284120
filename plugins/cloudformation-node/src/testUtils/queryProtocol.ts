import { randomUUID } from 'node:crypto';

const XMLNS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';

/**
 * Reads an AWS Query request body (`Action=X&Tags.member.1.Key=a&Filters.FailedEvents=true`)
 * into the action name and nested parameters: `member.N` segments become arrays, everything
 * else objects; values stay strings.
 */
export function parseQueryRequest(body: string): {
  action: string;
  params: Record<string, unknown>;
} {
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split('.');
    let node: Record<string, unknown> | unknown[] = params;
    for (let i = 0; i < path.length; i++) {
      const last = i === path.length - 1;
      if (path[i] === 'member' && Array.isArray(node)) {
        continue;
      }
      const segment: string | number = Array.isArray(node)
        ? Number(path[i]) - 1
        : path[i];
      const nextIsList = path[i + 1] === 'member';
      const container = node as Record<string | number, unknown>;
      if (last) {
        // `Tags=` is how an empty top-level list is sent.
        container[segment] = value === '' && i === 0 ? [] : value;
      } else {
        container[segment] ??= nextIsList ? [] : {};
        node = container[segment] as Record<string, unknown> | unknown[];
      }
    }
  }
  const { Action, Version: _version, ...rest } = params;
  return { action: String(Action ?? ''), params: rest };
}

/** A successful Query response: `<XResponse><XResult>…</XResult><ResponseMetadata>…`. */
export function queryResponse(
  action: string,
  result: Record<string, unknown>,
): string {
  return (
    `<${action}Response xmlns="${XMLNS}"><${action}Result>${toXml(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`
  );
}

/** A Query error response as CloudFormation sends it. */
export function queryError(
  code: string,
  message: string,
  type: 'Sender' | 'Receiver' = 'Sender',
): string {
  return (
    `<ErrorResponse xmlns="${XMLNS}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}

// Objects become elements per key, arrays `<member>` lists, dates ISO 8601; undefined is left out.
function toXml(value: unknown): string {
  if (Array.isArray(value)) {
    return value.map(item => `<member>${toXml(item)}</member>`).join('');
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value)
      .filter(([, child]) => child !== undefined)
      .map(([key, child]) => `<${key}>${toXml(child)}</${key}>`)
      .join('');
  }
  return escapeXml(String(value));
}

const XML_ENTITIES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  "'": '&apos;',
  '"': '&quot;',
};

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, char => XML_ENTITIES[char]);
}
