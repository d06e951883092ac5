/**
 * `web3_clientVersion` answers, parsed and compared with a configured minimum. Pure.
 *
 * Clients answer `<name>/<version>/<platform>/…`: `reth/v1.3.12-abc/x86_64-unknown-linux-gnu`,
 * `Geth/v1.14.8-stable-a9523b64/linux-amd64/go1.22.6` (Geth puts `--identity` between name and
 * version: `Geth/my-node/v1.14.8-stable/…`), `op-reth/v1.1.0`, `anvil/v1.7.1`.
 */
import semver from 'semver';

export interface ClientVersion {
  /** As answered, cut to 200 characters. */
  raw: string;
  /** "reth", "geth", "op-reth" (lowercase). */
  client: string;
  /** "1.3.12" (prerelease and build dropped by semver.coerce), or null when none was found. */
  version: string | null;
}

const RAW_MAX = 200;

export function parseClientVersion(answer: string): ClientVersion {
  const raw = answer.slice(0, RAW_MAX);
  const parts = raw.split('/');
  const client = (parts[0] ?? '').trim().toLowerCase();
  // The first part after the name that looks like a version (`v1.2.3…` or `1.2.3…`).
  const candidate = parts.slice(1).find((p) => /^v?\d+\.\d+/.test(p.trim()));
  const version = candidate ? (semver.coerce(candidate.trim())?.version ?? null) : null;
  return { raw, client, version };
}

/**
 * Minimum versions by client name, `*` for any client (config: `minClientVersion: "1.3.0"` or
 * `{ reth: "1.3.0", geth: "1.14.0" }`).
 */
export type MinClientVersion = Readonly<Record<string, string>>;

export type VersionCheck =
  { kind: 'ok' } | { kind: 'unchecked' } | { kind: 'outdated'; minimum: string } | { kind: 'unknown'; minimum: string };

/** The endpoint's own minimums over the network's. */
export function minimumFor(
  network: { minClientVersion?: MinClientVersion },
  endpoint: { minClientVersion?: MinClientVersion },
): MinClientVersion | undefined {
  if (!network.minClientVersion && !endpoint.minClientVersion) return undefined;
  return { ...network.minClientVersion, ...endpoint.minClientVersion };
}

/** ok when at least the minimum for this client (or `*`); unknown when the answer carries no version. */
export function checkClientVersion(v: ClientVersion, min: MinClientVersion | undefined): VersionCheck {
  const minimum = min?.[v.client] ?? min?.['*'];
  if (minimum === undefined) return { kind: 'unchecked' };
  if (v.version === null) return { kind: 'unknown', minimum };
  return semver.lt(v.version, minimum) ? { kind: 'outdated', minimum } : { kind: 'ok' };
}

/** "1.3" -> "1.3.0", "v1.14.8" -> "1.14.8"; undefined when it is not a version. */
export function normaliseMinimum(text: string): string | undefined {
  if (!/^\s*v?\d+(\.\d+){0,2}\s*$/.test(text)) return undefined;
  return semver.coerce(text.trim())?.version;
}

/** What /status shows for one endpoint's client. */
export interface EndpointClientView {
  /** "reth", "geth" … or null when there was no answer. */
  client: string | null;
  version: string | null;
  /** The answer as given, for clients whose version could not be parsed. */
  raw: string | null;
  check: VersionCheck;
  /** Why there is no answer ("request timed out"). */
  error?: string;
}

export function clientView(stored: { raw: string | null; error?: string }, minimum: MinClientVersion | undefined): EndpointClientView {
  if (stored.raw === null)
    return { client: null, version: null, raw: null, check: { kind: 'unchecked' }, ...(stored.error ? { error: stored.error } : {}) };
  const v = parseClientVersion(stored.raw);
  return { client: v.client || null, version: v.version, raw: v.raw, check: checkClientVersion(v, minimum) };
}
