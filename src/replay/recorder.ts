import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { HeadSample } from '../model';
import type { Network } from '../config/network';
import { lineFromSample } from './format';

/**
 * Writes what a live run observes in the replay format. Writes wait for the stream to drain,
 * so a slow disk slows the recorder instead of growing an in-memory buffer.
 */
export class Recorder {
  private readonly out: WriteStream;
  private chain: Promise<void> = Promise.resolve();
  lines = 0;

  constructor(path: string, networks: readonly Network[]) {
    this.out = createWriteStream(path, { flags: 'w', encoding: 'utf8' });
    for (const n of networks) this.write(networkLine(n));
  }

  samples(samples: HeadSample[]): Promise<void> {
    for (const s of [...samples].sort((a, b) => a.observedAt - b.observedAt)) this.write(lineFromSample(s));
    return this.chain;
  }

  private write(obj: Record<string, unknown>): void {
    const text = `${JSON.stringify(obj)}\n`;
    this.lines++;
    this.chain = this.chain.then(async () => {
      if (!this.out.write(text)) await once(this.out, 'drain');
    });
  }

  async close(): Promise<void> {
    await this.chain;
    this.out.end();
    await once(this.out, 'finish');
  }
}

/** Endpoint labels only: URLs may carry API keys and never go into a recording. */
export function networkLine(n: Network): Record<string, unknown> {
  return {
    type: 'network',
    name: n.name,
    displayName: n.displayName,
    chainId: n.chainId,
    blockTimeMs: n.blockTimeMs,
    endpoints: n.endpoints.map((e) => e.label),
    thresholds: n.thresholds,
  };
}
