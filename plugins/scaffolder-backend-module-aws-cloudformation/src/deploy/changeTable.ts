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

/** The change rows as aligned text lines, a header first. */
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
  return table.map(cells =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd(),
  );
}
