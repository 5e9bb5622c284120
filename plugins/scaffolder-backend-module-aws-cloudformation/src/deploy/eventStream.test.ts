import type { StackEvent } from '@aws-sdk/client-cloudformation';
import { StackEventStream } from './eventStream';

const since = new Date('2024-01-01T00:00:10Z');
const at = (second: number, id: string): StackEvent => ({
  StackId: 's',
  StackName: 'shop',
  EventId: id,
  Timestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, second)),
});

// Serves the events newest first in pages of `size`, like DescribeStackEvents.
function endpoint(size: number) {
  const events: StackEvent[] = [];
  const fetchPage = jest.fn(async (nextToken?: string) => {
    const start = Number(nextToken ?? 0);
    const newestFirst = [...events].reverse();
    return {
      StackEvents: newestFirst.slice(start, start + size),
      NextToken:
        start + size < newestFirst.length ? String(start + size) : undefined,
    };
  });
  return { events, fetchPage };
}

describe('StackEventStream', () => {
  it('returns each event once, oldest first, across pages and polls, skipping older operations', async () => {
    const { events, fetchPage } = endpoint(2);
    events.push(
      at(1, 'old-1'),
      at(5, 'old-2'),
      at(10, 'a'),
      at(11, 'b'),
      at(12, 'c'),
    );
    const stream = new StackEventStream(fetchPage, since);

    expect((await stream.poll()).map(event => event.EventId)).toEqual([
      'a',
      'b',
      'c',
    ]);
    // Stops paging at the operation's start instead of reading the whole history.
    expect(fetchPage).toHaveBeenCalledTimes(2);

    events.push(at(13, 'd'), at(14, 'e'), at(15, 'f'));
    fetchPage.mockClear();
    expect((await stream.poll()).map(event => event.EventId)).toEqual([
      'd',
      'e',
      'f',
    ]);
    expect(fetchPage).toHaveBeenCalledTimes(2);

    expect(await stream.poll()).toEqual([]);
  });

  it('drops repeats when new events shift the pages while reading', async () => {
    const { events, fetchPage } = endpoint(2);
    events.push(at(10, 'a'), at(11, 'b'), at(12, 'c'));
    const first = fetchPage.getMockImplementation()!;
    fetchPage.mockImplementationOnce(async token => {
      const page = await first(token);
      events.push(at(13, 'd')); // arrives between the two page reads
      return page;
    });
    const stream = new StackEventStream(fetchPage, since);

    expect((await stream.poll()).map(event => event.EventId)).toEqual([
      'a',
      'b',
      'c',
    ]);
    expect((await stream.poll()).map(event => event.EventId)).toEqual(['d']);
  });

  it('loses nothing when a page read fails', async () => {
    const { events, fetchPage } = endpoint(1);
    events.push(at(10, 'a'), at(11, 'b'));
    const stream = new StackEventStream(fetchPage, since);
    fetchPage
      .mockImplementationOnce(async () => ({
        StackEvents: [events[1]],
        NextToken: '1',
      }))
      .mockRejectedValueOnce(new Error('reset'));

    await expect(stream.poll()).rejects.toThrow('reset');
    expect((await stream.poll()).map(event => event.EventId)).toEqual([
      'a',
      'b',
    ]);
  });
});
