import type { HeadSample, Incident, IncidentEvent, Publication, Publisher } from '../model';
import { formatBlock } from '../util/format';

/**
 * Lets the demo script wait for what chainwatch does, by watching the events it publishes and
 * the heads it samples. Waits time out with a message that says what did not happen.
 */
export class DemoWatcher {
  private readonly seen: IncidentEvent[] = [];
  private waiters: { match: (e: IncidentEvent) => boolean; resolve: (e: IncidentEvent) => void }[] = [];
  private best = 0;
  private bestSeenAt = 0;

  wrap(inner: Publisher): Publisher {
    return {
      sink: inner.sink,
      deliver: async (event: IncidentEvent, incident: Incident, pub: Publication) => {
        const ids = await inner.deliver(event, incident, pub);
        this.event(event);
        return ids;
      },
    };
  }

  samples(samples: HeadSample[]): void {
    for (const s of samples) {
      if (s.ok && s.number > this.best) {
        this.best = s.number;
        this.bestSeenAt = s.observedAt;
      }
    }
  }

  headLine(): string {
    return formatBlock(this.best);
  }

  lastAdvanceSeenAt(): number {
    return this.bestSeenAt;
  }

  async waitForHead(blocks: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const from = this.best;
    while (this.best < from + blocks || this.best === 0) {
      if (Date.now() > deadline) throw new Error(`no new blocks seen within ${timeoutMs} ms: is the chain running?`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  waitForEvent(match: (e: IncidentEvent) => boolean, timeoutMs: number): Promise<IncidentEvent> {
    const already = this.seen.find(match);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`expected incident event did not arrive within ${timeoutMs} ms`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  private event(e: IncidentEvent): void {
    this.seen.push(e);
    const hit = this.waiters.filter((w) => w.match(e));
    this.waiters = this.waiters.filter((w) => !w.match(e));
    for (const w of hit) w.resolve(e);
  }
}
