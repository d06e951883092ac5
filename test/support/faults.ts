/**
 * Fault injection shared by the fake Discord and the fake X: one-shot failures (`failNext`),
 * a scripted outage asked about every other request (`setFaults`), and held answers (`hold`).
 * Each fake brings its own request matcher and answer shape.
 */

/** A scripted outage: asked about every request the one-shot rules left alone. */
export type FaultScript<A> = (method: string, path: string) => A | undefined;

/** A request the fake carried out but whose answer it withholds (a slow or lost response). */
export interface HeldRequest {
  method: string;
  path: string;
  body: unknown;
  /** The client's port on loopback: tells which process sent it. */
  remotePort: number | undefined;
  at: number;
  /** Sends the answer now. */
  release(): void;
}

export class Faults<M, A> {
  private readonly rules: { match: M; answer: A; times: number }[] = [];
  private script: FaultScript<A> | null = null;
  private readonly holds: { match: M; ms: number; onHeld: (h: HeldRequest) => void }[] = [];

  constructor(private readonly matches: (m: M, method: string, path: string, query?: URLSearchParams) => boolean) {}

  failNext(match: M, answer: A, times = 1): void {
    this.rules.push({ match, answer, times });
  }

  setScript(script: FaultScript<A> | null): void {
    this.script = script;
  }

  /** The answer a one-shot rule (spent by this call) or else the script has for this request. */
  take(method: string, path: string, query?: URLSearchParams): A | undefined {
    const rule = this.rules.find((f) => f.times > 0 && this.matches(f.match, method, path, query));
    if (!rule) return this.script?.(method, path);
    rule.times -= 1;
    return rule.answer;
  }

  /** Resolves with the next matching request once it is held (for at most `ms`). */
  hold(match: M, ms = 60_000): Promise<HeldRequest> {
    return new Promise((onHeld) => void this.holds.push({ match, ms, onHeld }));
  }

  /** Waits before answering when a hold is armed for this request (one-shot). */
  async holdIfArmed(info: Omit<HeldRequest, 'release'>): Promise<void> {
    const i = this.holds.findIndex((h) => this.matches(h.match, info.method, info.path));
    if (i < 0) return;
    const [rule] = this.holds.splice(i, 1);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, rule!.ms);
      rule!.onHeld({ ...info, release: () => (clearTimeout(timer), resolve()) });
    });
  }
}
