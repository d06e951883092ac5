/**
 * "A post may be on its way" markers, so a crash between POST /2/tweets and recording its id
 * never makes a second post (DESIGN.md principle 3).
 *
 * One hash per incident event, `keys.xInflight(incidentId, seq)` (beside
 * the Publication, in its Redis Cluster slot), written before the post: the text, where it
 * replies, whether it carries a link, when; then `postId` once X answered. It expires after a
 * day: by then the event was delivered, recorded as failed, or the incident closed.
 */
import type { ChainableCommander } from 'ioredis';
import { execReplicated, type RedisClient } from '../store/redis-client';
import type { Keyspace } from '../model';
import type { XPostKind } from './policy';

export const INFLIGHT_TTL_SECONDS = 24 * 3600;

export interface InflightPost {
  text: string;
  kind: XPostKind;
  /** The text carries a link (billed as a post with a URL). */
  withUrl: boolean;
  /** The post it replies to; null for a root. */
  replyTo: string | null;
  /** When it was decided (ms epoch): becomes `lastPostAt`. */
  at: number;
  /** Set once X accepted the post. */
  postId: string | null;
}

const KINDS: readonly XPostKind[] = ['root', 'update', 'resolved'];

export class InflightStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
    private readonly ttlSeconds: number = INFLIGHT_TTL_SECONDS,
  ) {}

  async get(incidentId: string, seq: number): Promise<InflightPost | null> {
    const h = await this.redis.hgetall(this.keys.xInflight(incidentId, seq));
    if (typeof h.text !== 'string' || !KINDS.includes(h.kind as XPostKind)) return null;
    return {
      text: h.text,
      kind: h.kind as XPostKind,
      withUrl: h.withUrl === '1',
      replyTo: h.replyTo || null,
      at: Number(h.at ?? 0),
      postId: h.postId || null,
    };
  }

  /** Written before the post is sent. */
  async begin(incidentId: string, seq: number, post: Omit<InflightPost, 'postId'>): Promise<void> {
    const key = this.keys.xInflight(incidentId, seq);
    const fields = {
      text: post.text,
      kind: post.kind,
      withUrl: post.withUrl ? '1' : '0',
      replyTo: post.replyTo ?? '',
      at: String(post.at),
    };
    await this.exec(`X marker of ${incidentId} e${seq}`, (p) => p.unlink(key).hset(key, fields).expire(key, this.ttlSeconds));
  }

  /** X accepted it: a retry of this event records `postId` without asking X. */
  async posted(incidentId: string, seq: number, postId: string): Promise<void> {
    const key = this.keys.xInflight(incidentId, seq);
    await this.exec(`X post id of ${incidentId} e${seq}`, (p) => p.hset(key, 'postId', postId).expire(key, this.ttlSeconds));
  }

  /** X refused it for certain (429, 4xx): nothing went out. */
  async clear(incidentId: string, seq: number): Promise<void> {
    await this.redis.unlink(this.keys.xInflight(incidentId, seq));
  }

  /**
   * One MULTI, then WAIT for the client's replicas (src/store/redis-client.ts): a marker lost
   * in a failover would let the retry post a second time. Throws on any command's error.
   */
  private async exec(what: string, build: (p: ChainableCommander) => void): Promise<void> {
    await execReplicated(this.redis, what, build, { atomic: true });
  }
}
