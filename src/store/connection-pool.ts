import type { Redis } from 'ioredis';
import { within } from '../util/deadline';

/**
 * WATCH belongs to a connection, so concurrent transactions must not share one: a pool of
 * dedicated connections (duplicates of the main one), bounded in size, with a FIFO of waiters.
 */
export class ConnectionPool {
  private readonly idle: Redis[] = [];
  private readonly waiters: ((r: Redis) => void)[] = [];
  private readonly all: Redis[] = [];

  constructor(
    private readonly base: Redis,
    private readonly size = 4,
  ) {}

  async use<T>(fn: (r: Redis) => Promise<T>): Promise<T> {
    const conn = await this.acquire();
    try {
      return await fn(conn);
    } catch (err) {
      // A failure between WATCH and EXEC may leave the connection watching: clear it.
      await conn.unwatch().catch(() => undefined);
      throw err;
    } finally {
      this.release(conn);
    }
  }

  private acquire(): Promise<Redis> {
    const conn = this.idle.pop();
    if (conn) return Promise.resolve(conn);
    if (this.all.length < this.size) {
      const fresh = this.base.duplicate();
      fresh.on('error', () => undefined); // the base connection's listener reports errors once
      this.all.push(fresh);
      return Promise.resolve(fresh);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private release(conn: Redis): void {
    const next = this.waiters.shift();
    if (next) next(conn);
    else this.idle.push(conn);
  }

  async close(): Promise<void> {
    // quit() waits for Redis; when it is unreachable, drop the connection instead of hanging.
    await Promise.all(this.all.map(async (c) => (await within(c.quit(), 2000)) || c.disconnect()));
    this.all.length = 0;
    this.idle.length = 0;
  }
}
