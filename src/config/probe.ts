/**
 * A network's `probe:` section (opt-in): every `every`, a zero-value transaction to itself,
 * signed with a funded key, to tell whether the chain still takes transactions while blocks
 * keep coming (`inclusion_delay`, src/engine/probe.ts). The key is never in the file: it is
 * read from the environment variable `keyEnv` names (or the file `<keyEnv>_FILE` names), and
 * no message, log line or JSON of the config ever shows it.
 */
import { z } from 'zod';
import { parseDuration } from './duration';
import type { Secrets } from './secrets';
import { strict, type Path, type RawIssue } from './zod-helpers';

/** What the engine needs to judge and pace probes (no key). Wei amounts are decimal strings: JSON-safe. */
export interface ProbeSettings {
  /** A new probe at most this often (the scheduler ticks more often to watch the one in flight). */
  everyMs: number;
  /** A probe not included this long after it was sent, while blocks came, is late. */
  deadlineMs: number;
  /** Spend per UTC day, in wei: gasUsed × effectiveGasPrice of included probes, plus the worst case of the one in flight. */
  maxDailyGasWei: string;
}

/** A secret that never prints: JSON, string conversion and util.inspect all give "[redacted]". */
export interface SecretKey {
  reveal(): `0x${string}`;
}

export interface NetworkProbe extends ProbeSettings {
  /** The variable that holds the key (for messages: the name is not secret). */
  keyEnv: string;
  key: SecretKey;
}

export const ProbeSchema = strict({
  keyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must be an environment variable name (capitals, digits, "_")'),
  key: z.never({ error: 'the probe key is read from the environment (the variable keyEnv names), never from the file' }).optional(),
  every: z.unknown().optional(),
  deadline: z.unknown().optional(),
  maxDailyGas: z.unknown(),
});
export type ProbeInput = z.output<typeof ProbeSchema>;

/** A probe every 5 min by default; never more often than every 10 s (each one is paid for). */
export const PROBE_EVERY = { defaultMs: 5 * 60_000, minMs: 10_000, maxMs: 24 * 3_600_000 } as const;
/** The deadline's floor: a few block times, so one missed block is never "late". */
const DEADLINE_MIN_BLOCKS = 3;
const DEADLINE_MIN_MS = 5_000;
const DEADLINE_MAX_MS = 3_600_000;

/** Default deadline: 10 blocks, at least 30 s (a transaction paying twice the base fee lands in one or two). */
export function defaultProbeDeadlineMs(blockTimeMs: number): number {
  return Math.max(30_000, 10 * blockTimeMs);
}

/** secp256k1's group order: a private key is a number in [1, n). */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

export function resolveProbe(
  input: ProbeInput,
  network: { blockTimeMs: number; endpoints: readonly { url: string }[] },
  secrets: Secrets,
  at: Path,
  issues: RawIssue[],
): NetworkProbe | undefined {
  const before = issues.length;
  const { blockTimeMs } = network;
  // Sent and watched over HTTP (src/chain/probe.ts): a WebSocket-only network has nothing to send through.
  if (!network.endpoints.some((e) => /^https?:/i.test(e.url)))
    issues.push({ path: at, message: 'needs at least one http(s) endpoint to send the probe through' });
  const key = readKey(input.keyEnv, secrets, [...at, 'keyEnv'], issues);
  const everyMs = input.every === undefined ? PROBE_EVERY.defaultMs : parseDuration(input.every);
  if (everyMs === undefined || everyMs < PROBE_EVERY.minMs || everyMs > PROBE_EVERY.maxMs)
    issues.push({ path: [...at, 'every'], message: 'not a duration from 10s to 24h (e.g. "5m")' });
  const floorMs = Math.max(DEADLINE_MIN_MS, DEADLINE_MIN_BLOCKS * blockTimeMs);
  const deadlineMs = input.deadline === undefined ? defaultProbeDeadlineMs(blockTimeMs) : parseDuration(input.deadline);
  if (deadlineMs === undefined || deadlineMs < floorMs || deadlineMs > DEADLINE_MAX_MS)
    issues.push({
      path: [...at, 'deadline'],
      message: `not a duration from ${floorMs / 1000}s (${DEADLINE_MIN_BLOCKS} block times, at least 5s) to 1h`,
    });
  const maxDailyGasWei = parseNativeAmount(input.maxDailyGas);
  if (maxDailyGasWei === undefined || maxDailyGasWei <= 0n)
    issues.push({
      path: [...at, 'maxDailyGas'],
      message: 'not an amount of the native currency with its unit, above 0: e.g. "0.002 ETH", "50000 gwei"',
    });
  if (issues.length > before) return undefined;
  return { keyEnv: input.keyEnv, key: key!, everyMs: everyMs!, deadlineMs: deadlineMs!, maxDailyGasWei: maxDailyGasWei!.toString() };
}

/** Messages name the variable and what is wrong with its value, never the value. */
function readKey(name: string, secrets: Secrets, at: Path, issues: RawIssue[]): SecretKey | undefined {
  const found = secrets.lookup(name);
  if (!found.ok) {
    issues.push({ path: at, message: `${found.reason}: the probe's private key is read from the environment only` });
    return undefined;
  }
  const hex = found.value.replace(/^0x/i, '');
  const valid = /^[0-9a-fA-F]{64}$/.test(hex) && BigInt(`0x${hex}`) > 0n && BigInt(`0x${hex}`) < SECP256K1_N;
  if (!valid) {
    issues.push({ path: at, message: `${name} is not a private key (expected 32 bytes as 64 hex digits, optionally 0x-prefixed)` });
    return undefined;
  }
  return secretKey(`0x${hex.toLowerCase()}`);
}

export function secretKey(value: `0x${string}`): SecretKey {
  const redacted = () => '[redacted]';
  return Object.freeze({
    reveal: () => value,
    toJSON: redacted,
    toString: redacted,
    [Symbol.for('nodejs.util.inspect.custom')]: redacted,
  });
}

const UNITS: Record<string, number> = { eth: 18, ether: 18, gwei: 9, wei: 0 };

/** "0.002 ETH" / "50000 gwei" / "21000000000000 wei" -> wei. A bare number is refused: the unit must be said. */
export function parseNativeAmount(value: unknown): bigint | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d{1,30})(?:\.(\d{1,18}))?\s*([a-zA-Z]+)\s*$/.exec(value);
  const decimals = m ? UNITS[m[3]!.toLowerCase()] : undefined;
  if (!m || decimals === undefined) return undefined;
  const fraction = m[2] ?? '';
  if (fraction.length > decimals) return undefined;
  return BigInt(m[1]!) * 10n ** BigInt(decimals) + BigInt((fraction || '0').padEnd(decimals, '0'));
}
