/**
 * The last `web3_clientVersion` answer of each endpoint, one small JSON key per network in the
 * network's hash slot, expiring by itself (TTL) so a dropped endpoint or network leaves nothing.
 */
import type { Keyspace } from '../model';
import { readJsonMany } from './json';
import type { RedisClient } from './redis-client';

export interface StoredClientVersion {
  /** The answer (cut to 200 characters), or null when the endpoint did not answer. */
  raw: string | null;
  at: number;
  /** Why there is no answer: "timeout", "rpc -32601" … (never a URL). */
  error?: string;
}

export type ClientVersions = Record<string, StoredClientVersion>;

export class ClientVersionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
    /** Three read intervals: one missed read does not blank /status. */
    private readonly ttlSeconds: number,
  ) {}

  async write(network: string, versions: ClientVersions): Promise<void> {
    await this.redis.set(this.keys.clientVersions(network), JSON.stringify(versions), 'EX', this.ttlSeconds);
  }

  /** Many networks in one round trip. */
  readMany(networks: readonly string[]): Promise<Map<string, ClientVersions>> {
    return readJsonMany<ClientVersions>(this.redis, networks, this.keys.clientVersions);
  }
}
