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
 * The change rows as text lines, a header first: an aligned table when it fits in
 * {@link CHANGE_TABLE_WIDTH} columns, else one line per row with its cells two spaces apart and a
 * description too long for the line continued on indented lines below.
 */
export function formatChangeTable(
  rows: ResourceChangeRow[],
  descriptions: Record<string, string> = {},
): string[] {
  const table = [
    ['Action', 'Replacement', 'Logical ID', 'Type', 'Description'],
    ...rows.map(row => [
      row.action,
      row.replacement,
      row.logicalResourceId,
      row.resourceType,
      descriptions[row.logicalResourceId] ?? '',
    ]),
  ];
  const widths = table[0].map((_, column) =>
    Math.max(...table.map(cells => cells[column].length)),
  );
  const aligned = table.map(cells =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd(),
  );
  if (aligned.every(line => line.length <= CHANGE_TABLE_WIDTH)) return aligned;
  return table.flatMap(cells => {
    const start = `${cells.slice(0, 4).join('  ')}  `;
    const room = CHANGE_TABLE_WIDTH - start.length;
    // On the row's line what fits there (at least a few words), the rest indented below.
    const [first, ...rest] =
      room >= MIN_DESCRIPTION_ROOM ? wrap(cells[4], room) : ['', cells[4]];
    const overflow = rest.join(' ');
    return [
      `${start}${first ?? ''}`.trimEnd(),
      ...wrap(overflow, CHANGE_TABLE_WIDTH - DESCRIPTION_INDENT.length).map(
        part => `${DESCRIPTION_INDENT}${part}`,
      ),
    ];
  });
}

/** Fewer columns than this left on a row's line for its description: it starts on the next line. */
const MIN_DESCRIPTION_ROOM = 20;

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
