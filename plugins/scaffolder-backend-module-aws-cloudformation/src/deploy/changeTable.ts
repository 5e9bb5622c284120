import type { Change } from '@aws-sdk/client-cloudformation';

/** One resource change of a change set, as logged and output. */
export type ResourceChangeRow = {
  /** `add`, `modify`, `remove`, `import`, `dynamic` or `sync`. */
  action: string;
  logicalResourceId: string;
  resourceType: string;
  /** `yes`, `no` or `conditional` for modifications; `-` where replacement does not apply. */
  replacement: string;
};

const REPLACEMENT: Record<string, string> = {
  True: 'yes',
  False: 'no',
  Conditional: 'conditional',
};

/** Resource changes of a change set as table rows (other change types are ignored). */
export function toChangeRows(changes: Change[]): ResourceChangeRow[] {
  return changes.flatMap(change => {
    const resource = change.ResourceChange;
    if (!resource) {
      return [];
    }
    return [
      {
        action: (resource.Action ?? 'unknown').toLowerCase(),
        logicalResourceId: resource.LogicalResourceId ?? 'unknown',
        resourceType: resource.ResourceType ?? 'unknown',
        replacement:
          resource.Action === 'Modify'
            ? (REPLACEMENT[resource.Replacement ?? ''] ?? 'no')
            : '-',
      },
    ];
  });
}

/** Widest line the change table prints: the task log's viewer cuts off longer lines on the right. */
export const CHANGE_TABLE_WIDTH = 100;

/**
 * The change rows as aligned text lines, a header first. When a row with its description would be
 * wider than {@link CHANGE_TABLE_WIDTH}, every description goes on its own indented line(s) under
 * its row instead, wrapped at word boundaries.
 */
export function formatChangeTable(
  rows: ResourceChangeRow[],
  descriptions: Record<string, string> = {},
): string[] {
  const table = [
    ['Action', 'Replacement', 'Logical ID', 'Type'],
    ...rows.map(row => [
      row.action,
      row.replacement,
      row.logicalResourceId,
      row.resourceType,
    ]),
  ];
  const described = [
    'Description',
    ...rows.map(row => descriptions[row.logicalResourceId] ?? ''),
  ];
  const widths = table[0].map((_, column) =>
    Math.max(...table.map(cells => cells[column].length)),
  );
  const aligned = table.map(cells =>
    cells.map((cell, column) => cell.padEnd(widths[column])).join('  '),
  );
  const inline = aligned.map((line, index) =>
    `${line}  ${described[index]}`.trimEnd(),
  );
  if (inline.every(line => line.length <= CHANGE_TABLE_WIDTH)) return inline;
  return aligned.flatMap((line, index) => [
    line.trimEnd(),
    ...wrap(
      described[index],
      CHANGE_TABLE_WIDTH - DESCRIPTION_INDENT.length,
    ).map(part => `${DESCRIPTION_INDENT}${part}`),
  ]);
}

const DESCRIPTION_INDENT = '    ';

/** `text` in lines of at most `width` characters, broken at spaces (a longer word stays whole). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
