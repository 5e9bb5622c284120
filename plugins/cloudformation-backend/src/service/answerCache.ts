import { CacheService } from '@backstage/backend-plugin-api';
import { SingleFlight } from './awsTarget';

/**
 * The card's answers in the plugin cache, stored as JSON text (their optional fields are not the
 * cache's JsonValue type) for as long as `lifetimeMs` says for each answer. Never per caller:
 * authorize the entity before asking.
 */
export class AnswerCache<T> {
  private readonly flights = new SingleFlight<T>();

  constructor(
    private readonly options: {
      cache: CacheService;
      lifetimeMs: (answer: T) => number;
    },
  ) {}

  /**
   * The cached answer for `key`, else what `load` gives — which `load` stores with `store` when it
   * is worth keeping. Requests that miss together (tabs opened at once) share one `load`.
   */
  async get(key: string, load: () => Promise<T>): Promise<T> {
    const cached = await this.options.cache.get<string>(key);
    if (cached) return JSON.parse(cached);
    return this.flights.run(key, load);
  }

  /** Keeps `answer` under `key` for its lifetime, and gives it back. */
  async store(key: string, answer: T): Promise<T> {
    await this.options.cache.set(key, JSON.stringify(answer), {
      ttl: this.options.lifetimeMs(answer),
    });
    return answer;
  }
}
