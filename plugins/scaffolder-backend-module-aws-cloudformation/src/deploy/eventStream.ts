import type {
  DescribeStackEventsCommandOutput,
  StackEvent,
} from '@aws-sdk/client-cloudformation';

/** Fetches one page of `DescribeStackEvents` (newest first). */
export type StackEventPageFetcher = (
  nextToken?: string,
) => Promise<
  Pick<DescribeStackEventsCommandOutput, 'StackEvents' | 'NextToken'>
>;

/**
 * The events of one stack operation, each returned once and in the order they happened.
 * `DescribeStackEvents` pages newest first, so each poll reads pages until it reaches an
 * event it already returned or one older than the operation.
 */
export class StackEventStream {
  private readonly seen = new Set<string>();

  constructor(
    private readonly fetchPage: StackEventPageFetcher,
    private readonly since: Date,
  ) {}

  /** Events that happened since the last poll, oldest first. */
  async poll(): Promise<StackEvent[]> {
    const fresh = new Map<string, StackEvent>();
    let nextToken: string | undefined;
    do {
      const page = await this.fetchPage(nextToken);
      let caughtUp = false;
      for (const event of page.StackEvents ?? []) {
        if (!event.EventId) {
          continue;
        }
        if (
          this.seen.has(event.EventId) ||
          (event.Timestamp && event.Timestamp < this.since)
        ) {
          caughtUp = true;
          break;
        }
        // New events arriving between two page reads shift the pages; the map drops the repeats.
        fresh.set(event.EventId, event);
      }
      nextToken = caughtUp ? undefined : page.NextToken;
    } while (nextToken);
    // Marked seen only once the whole walk succeeded, so a failed page read loses nothing.
    for (const id of fresh.keys()) {
      this.seen.add(id);
    }
    return [...fresh.values()].reverse();
  }
}
