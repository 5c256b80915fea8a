/** The JWKS results cache: one instance shared across documents (the language server owns it). */

export interface JwksCacheOptions {
  /** How long a result (success or failure) is reused (default 5 minutes). */
  ttlMs?: number;
  /** Clock in epoch milliseconds; injectable for tests (default Date.now). */
  now?: () => number;
  /** Fetches running at once across all URLs (default 4). */
  maxConcurrent?: number;
}

interface Entry<T> {
  value: T;
  storedAt: number;
}

export const JWKS_CACHE_DEFAULTS = { ttlMs: 5 * 60 * 1000, maxConcurrent: 4 } as const;

/**
 * Results keyed by URL with a TTL, de-duplication of concurrent loads of the same key, and a
 * concurrency limit for the loads themselves. `invalidate` forces the next check to fetch again.
 */
export class JwksCache {
  readonly ttlMs: number;
  readonly now: () => number;
  private readonly maxConcurrent: number;
  private readonly entries = new Map<string, Entry<unknown>>();
  private readonly inflight = new Map<string, Promise<unknown>>();
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(opts: JwksCacheOptions = {}) {
    this.ttlMs = opts.ttlMs ?? JWKS_CACHE_DEFAULTS.ttlMs;
    this.now = opts.now ?? Date.now;
    this.maxConcurrent = Math.max(1, opts.maxConcurrent ?? JWKS_CACHE_DEFAULTS.maxConcurrent);
  }

  /** A fresh cached value, or undefined. */
  peek<T>(key: string): { value: T; storedAt: number } | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (this.now() - e.storedAt >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return { value: e.value as T, storedAt: e.storedAt };
  }

  /**
   * The cached value for `key`, else the result of `load` (run under the concurrency limit, shared
   * by every caller asking for the same key meanwhile, then cached). `fromCache` says which.
   */
  async getOrLoad<T>(key: string, load: () => Promise<T>, force = false): Promise<{ value: T; fromCache: boolean }> {
    if (force) this.entries.delete(key);
    const hit = this.peek<T>(key);
    if (hit) return { value: hit.value, fromCache: true };
    let pending = this.inflight.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = this.limited(load).then((value) => {
        this.entries.set(key, { value, storedAt: this.now() });
        return value;
      });
      const done = (): void => {
        this.inflight.delete(key);
      };
      pending.then(done, done);
      this.inflight.set(key, pending);
    }
    return { value: await pending, fromCache: false };
  }

  /** Forgets one key (e.g. a URL the user asked to re-check), or everything. */
  invalidate(key?: string): void {
    if (key === undefined) this.entries.clear();
    else for (const k of [...this.entries.keys()]) if (k === key || k.endsWith(` ${key}`)) this.entries.delete(k);
  }

  get size(): number {
    return this.entries.size;
  }

  private async limited<T>(load: () => Promise<T>): Promise<T> {
    if (this.running >= this.maxConcurrent) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      return await load();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }
}
