/** Small bounded helpers shared by the topology tests (not a test file itself). */
import { performance } from 'node:perf_hooks';
import type { Job, Worker } from 'bullmq';

export async function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export interface FirstSuccess<T> {
  value: T;
  /** ms from `since` to the success. */
  ms: number;
  /** Messages of the attempts that failed before it. */
  errors: string[];
}

/**
 * Retries `attempt` (each one bounded by `perAttemptMs`) until one succeeds; throws at the
 * deadline with the errors it saw. `ms` counts from `since` (e.g. the moment of a kill).
 */
export async function firstSuccess<T>(
  what: string,
  since: number,
  timeoutMs: number,
  attempt: () => Promise<T>,
  perAttemptMs = 5_000,
): Promise<FirstSuccess<T>> {
  const deadline = performance.now() + timeoutMs;
  const errors: string[] = [];
  for (;;) {
    try {
      const value = await bounded(attempt(), Math.max(1, Math.round(Math.min(perAttemptMs, deadline - performance.now()))), what);
      return { value, ms: Math.round(performance.now() - since), errors };
    } catch (err) {
      errors.push((err as Error).message);
      if (performance.now() >= deadline)
        throw new Error(`${what}: no success within ${timeoutMs} ms; errors: ${[...new Set(errors)].join(' | ')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/**
 * For observations that are reported, not asserted: like firstSuccess, but at the deadline it
 * resolves with what happened instead of throwing.
 */
export async function observe(
  what: string,
  since: number,
  timeoutMs: number,
  attempt: () => Promise<unknown>,
  perAttemptMs = 3_000,
): Promise<string> {
  try {
    const r = await firstSuccess(what, since, timeoutMs, attempt, perAttemptMs);
    return `recovered after ${r.ms} ms`;
  } catch (err) {
    return `not recovered ${Math.round(performance.now() - since)} ms after the kill (${(err as Error).message.replace(/^.*errors: /, 'errors: ')})`;
  }
}

/** Resolves when the worker completes the job with this id; rejects on its failure or at the timeout. */
export function completionOf(
  worker: Worker,
  jobId: string,
  timeoutMs: number,
  errorsSeen: () => string[] = () => [],
): Promise<{ job: Job; at: number }> {
  return new Promise((resolve, reject) => {
    const onCompleted = (job: Job) => {
      if (job.id !== jobId) return;
      done();
      resolve({ job, at: performance.now() });
    };
    const onFailed = (job: Job | undefined, err: Error) => {
      if (job?.id !== jobId) return;
      done();
      reject(new Error(`job ${jobId} failed: ${err.message}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(
        new Error(`job ${jobId} not completed within ${timeoutMs} ms (worker errors: ${[...new Set(errorsSeen())].join(' | ') || 'none'})`),
      );
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      worker.off('completed', onCompleted);
      worker.off('failed', onFailed);
    };
    worker.on('completed', onCompleted);
    worker.on('failed', onFailed);
  });
}

export function unique(messages: string[]): string[] {
  return [...new Set(messages.map((m) => m.replace(/\b\d{4,}\b/g, 'N')))];
}
