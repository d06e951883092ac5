/** YAML text + environment -> AppConfig, collecting every problem into one ConfigError. */
import { readFileSync } from 'node:fs';
import { envSecrets, type Secrets } from './secrets';
import { DiscordSchema, resolveDiscord } from './discord';
import { resolveSocial, SocialSchema } from './social';
import { ProbeSchema, resolveProbe } from './probe';
import { resolveStatusPage, StatusPageSchema } from './status-page';
import { resolveX, XSchema } from './x';
import { RedisSchema, resolveRedis } from './redis';
import { ConnectivitySchema, resolveConnectivity } from './connectivity';
import { HeartbeatSchema, resolveHeartbeat } from './heartbeat';
import YAML, { LineCounter } from 'yaml';
import type { z } from 'zod';
import type { Endpoint, Network, Thresholds } from './network';
import {
  DEFAULT_LOG_LEVEL,
  DEFAULT_WORKER_CONCURRENCY,
  crossCheckThresholds,
  defaultThresholds,
  fileKey,
  mergeThresholds,
} from './defaults';
import { resolvePreset } from './presets';
import {
  DEFAULT_STATUS_TITLE,
  DefaultsSchema,
  HttpSchema,
  LogSchema,
  type NetworkInput,
  NetworkSchema,
  NetworksSchema,
  RootSchema,
  WorkerSchema,
} from './schema';
import type { AppConfig, HttpConfig } from './types';
import { errorMap, formatPath, type Path, quote, type RawIssue, zodIssues } from './zod-helpers';

export interface ConfigIssue {
  path: string;
  message: string;
}

/** Every problem in a config, one per line: "networks[2].endpoints[0].url: not a URL". */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly issues: ConfigIssue[];
  /** The file, when there is one. */
  readonly source: string | undefined;
  constructor(issues: ConfigIssue[], source?: string) {
    super(
      [
        `invalid config${source ? ` ${source}` : ''} (${issues.length} ${issues.length === 1 ? 'problem' : 'problems'}):`,
        ...issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)),
      ].join('\n'),
    );
    this.issues = issues;
    this.source = source;
  }
}

export interface ParseOptions {
  /** File name for messages. */
  source?: string;
  /** Reads `VAR_FILE` secrets; tests inject one. */
  readFile?: (path: string) => string;
  /** Sections a command does not use, left out unread (deploy-commands talks to Discord only). */
  skip?: readonly 'x'[];
}

/** Pure apart from reading `*_FILE` secrets. Throws ConfigError listing every problem. */
export function parseConfig(text: string, env: Record<string, string | undefined>, opts: ParseOptions = {}): AppConfig {
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter, prettyErrors: false });
  const [first, ...rest] = doc.errors;
  if (first) {
    // Only the first error: the rest are mostly its echoes. And no quoted token: yaml's
    // messages end with the offending source text, which may be a URL holding an API key.
    const { line, col } = lineCounter.linePos(first.pos[0]);
    const reason = first.message.split('\n')[0]!.replace(/:\s*".*$/, '');
    const more = rest.length > 0 ? ` (and ${rest.length} more after it)` : '';
    throw new ConfigError([{ path: '', message: `YAML syntax error at line ${line}, column ${col}: ${reason}${more}` }], opts.source);
  }
  const secrets = envSecrets(env, opts.readFile);
  const vars = new Interpolation(env, secrets);
  const value = vars.apply(documentValue(doc, opts.source), []);
  const issues: RawIssue[] = [];
  const config = buildConfig(value, issues, secrets, opts.skip ?? [], (path) => vars.secretPaths.has(formatPath(path)));
  if (vars.issues.length === 0 && issues.length === 0 && config) return config;
  throw new ConfigError(
    finalize(vars, issues, (path) => offsetOf(doc, path)),
    opts.source,
  );
}

/**
 * yaml's own guard against aliases that expand exponentially ("billion laughs": nine aliases of
 * nine aliases of … a few lines that would build gigabytes): it refuses before building. A real
 * config needs a handful of aliases at most.
 */
const MAX_ALIAS_COUNT = 100;

function documentValue(doc: YAML.Document, source: string | undefined): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    // No yaml text in the message: it may quote the file, and the file may hold a key.
    const message = /alias/i.test((err as Error).message)
      ? `YAML aliases expand too far (more than ${MAX_ALIAS_COUNT} uses of anchors): write the values out or use fewer aliases`
      : 'YAML could not be turned into values';
    throw new ConfigError([{ path: '', message }], source);
  }
}

/** Reads `path` and parses it; an unreadable file is a ConfigError naming the path. */
export function loadConfig(path: string, env: NodeJS.ProcessEnv = process.env, opts: Pick<ParseOptions, 'skip'> = {}): AppConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError([{ path: '', message: `cannot read config file ${JSON.stringify(path)} (${code})` }], path);
  }
  return parseConfig(text, env, { ...opts, source: path });
}

/**
 * `${VAR}` and `${VAR:-default}` in string values, from `env`, else from the file named by
 * `VAR_FILE` (Docker and Kubernetes secrets). `$${` is a literal `${`. Remembers which paths hold
 * values from the environment so that no message quotes them.
 */
class Interpolation {
  readonly issues: RawIssue[] = [];
  readonly secretPaths = new Set<string>();
  readonly failedPaths = new Set<string>();
  constructor(
    private readonly env: Record<string, string | undefined>,
    private readonly secrets: Secrets,
  ) {}

  apply(value: unknown, path: Path): unknown {
    if (typeof value === 'string') return this.substitute(value, path);
    if (Array.isArray(value)) return value.map((v, i) => this.apply(v, [...path, i]));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.apply(v, [...path, k])]));
    }
    return value;
  }

  private substitute(text: string, path: Path): string {
    return text.replace(/\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{/g, (match, name?: string, fallback?: string) => {
      if (match === '$${') return '${';
      if (name === undefined) return this.fail(path, 'malformed reference: write ${NAME} or ${NAME:-default}');
      const found = this.secrets.lookup(name);
      if (found.ok) return this.secret(path, found.value);
      // A file that is named but unreadable is a mistake to report, not a reason for the default.
      if (this.env[`${name}_FILE`]) return this.fail(path, found.reason);
      if (fallback !== undefined) return fallback;
      if (this.env[name] === '') return this.secret(path, '');
      return this.fail(path, `environment variable ${name} is not set`);
    });
  }

  private secret(path: Path, value: string): string {
    this.secretPaths.add(formatPath(path));
    return value;
  }

  private fail(path: Path, message: string): string {
    this.failedPaths.add(formatPath(path));
    this.issues.push({ path, message });
    return '';
  }
}

/** Issues in file order, each message without values from the environment. */
function finalize(vars: Interpolation, issues: RawIssue[], offset: (path: Path) => number): ConfigIssue[] {
  // A reference that did not resolve already has its issue; checks on what is left are noise.
  const rest = issues.filter((iss) => !vars.failedPaths.has(formatPath(iss.path)));
  return [...vars.issues, ...rest]
    .map((iss, i) => ({ iss, i, at: offset(iss.path) }))
    .sort((a, b) => a.at - b.at || a.i - b.i)
    .map(({ iss }) => {
      const secret = [iss.path, ...(iss.quotes ?? [])].some((p) => vars.secretPaths.has(formatPath(p)));
      return { path: formatPath(iss.path), message: secret && iss.plain !== undefined ? iss.plain : iss.message };
    });
}

/** Where `path` (or, if it is absent, its nearest ancestor) starts in the file. */
function offsetOf(doc: YAML.Document, path: Path): number {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return node.range[0];
  }
  return 0;
}

function parseSection<S extends z.ZodType>(schema: S, value: unknown, path: Path, issues: RawIssue[]): z.output<S> | undefined {
  const result = schema.safeParse(value, { error: errorMap });
  if (result.success) return result.data;
  issues.push(...zodIssues(result.error, path));
  return undefined;
}

function buildConfig(
  raw: unknown,
  issues: RawIssue[],
  secrets: Secrets,
  skip: readonly 'x'[],
  fromEnv: (path: Path) => boolean,
): AppConfig | undefined {
  if (raw === null || raw === undefined) {
    issues.push({ path: [], message: 'the file is empty: expected a mapping with a `networks` list' });
    return undefined;
  }
  const root = parseSection(RootSchema, raw, [], issues);
  if (typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  // An absent or empty (null) section means all its defaults.
  const redisInput = parseSection(RedisSchema, r.redis ?? {}, ['redis'], issues);
  const redis = redisInput && resolveRedis(redisInput, secrets, issues, fromEnv);
  const log = parseSection(LogSchema, r.log ?? {}, ['log'], issues);
  const worker = parseSection(WorkerSchema, r.worker ?? {}, ['worker'], issues);
  const defaults = parseSection(DefaultsSchema, r.defaults ?? {}, ['defaults'], issues);
  const list = parseSection(NetworksSchema, r.networks, ['networks'], issues);
  const seenNames = new Map<string, number>();
  const networks = (list ?? []).map((n, i) => {
    const input = parseSection(NetworkSchema, n, ['networks', i], issues);
    checkUniqueName(n, i, seenNames, issues);
    return input && resolveNetwork(input, ['networks', i], defaults?.thresholds ?? {}, issues, secrets);
  });
  const discordInput = r.discord == null ? null : parseSection(DiscordSchema, r.discord, ['discord'], issues);
  const names = (list ?? []).map((n) => (n as { name?: unknown } | null)?.name).filter((n): n is string => typeof n === 'string');
  const discord = discordInput ? resolveDiscord(discordInput, names, secrets, issues) : undefined;
  const xInput = r.x == null || skip.includes('x') ? null : parseSection(XSchema, r.x, ['x'], issues);
  const x = xInput ? resolveX(xInput, secrets, issues) : undefined;
  const heartbeatInput = r.heartbeat == null ? null : parseSection(HeartbeatSchema, r.heartbeat, ['heartbeat'], issues);
  const heartbeat = heartbeatInput ? resolveHeartbeat(heartbeatInput, issues) : undefined;
  const connectivityInput = r.connectivity == null ? null : parseSection(ConnectivitySchema, r.connectivity, ['connectivity'], issues);
  const connectivity = connectivityInput ? resolveConnectivity(connectivityInput, issues) : undefined;
  // Every section is read before any early return, so one bad section hides no other's problems.
  const http = r.http == null ? null : parseSection(HttpSchema, r.http, ['http'], issues);
  const admin = r.http == null ? undefined : resolveAdmin(secrets, issues);
  if (!root || !redis || !log || !worker || !defaults || !list || networks.some((n) => !n)) return undefined;
  if (discordInput === undefined || (discordInput && !discord)) return undefined;
  if (xInput === undefined || (xInput && !x)) return undefined;
  if (heartbeatInput === undefined || (heartbeatInput && !heartbeat)) return undefined;
  if (connectivityInput === undefined || (connectivityInput && !connectivity)) return undefined;
  if (http === undefined || admin === null) return undefined;
  return {
    // Prometheus' default exporter port range; loopback unless the operator opens it up.
    ...(http ? { http: resolveHttp(http, admin) } : {}),
    ...(x ? { x } : {}),
    ...(heartbeat ? { heartbeat } : {}),
    ...(connectivity ? { connectivity } : {}),
    ...(discord ? { discord } : {}),
    redis,
    log: { level: log.level ?? DEFAULT_LOG_LEVEL },
    worker: { concurrency: worker.concurrency ?? DEFAULT_WORKER_CONCURRENCY },
    networks: networks as Network[],
  };
}

function resolveHttp(http: z.output<typeof HttpSchema>, admin: HttpConfig['admin']): HttpConfig {
  return {
    port: http.port ?? 9464,
    host: http.host ?? '127.0.0.1',
    ...(http.publicUrl ? { publicUrl: http.publicUrl.replace(/\/+$/, '') } : {}),
    statusPage: http.statusPage ?? true,
    title: http.title ?? DEFAULT_STATUS_TITLE,
    ...(admin ? { admin } : {}),
    ...(http.adminWrite ? { adminWrite: true } : {}),
  };
}

/**
 * Bull Board's credentials, from the environment only (or `*_FILE`). Neither: Bull Board is
 * off (undefined). One without the other: an issue, and null. Values are never quoted.
 */
function resolveAdmin(secrets: Secrets, issues: RawIssue[]): HttpConfig['admin'] | null {
  const user = secrets.get('CHAINWATCH_ADMIN_USER');
  const password = secrets.get('CHAINWATCH_ADMIN_PASSWORD');
  const problems = ['CHAINWATCH_ADMIN_USER', 'CHAINWATCH_ADMIN_PASSWORD'].flatMap((name) => secrets.fileProblem(name) ?? []);
  if (problems.length > 0) {
    issues.push(...problems.map((message) => ({ path: ['http'], message })));
    return null;
  }
  if (!user && !password) return undefined;
  if (user && password) {
    if (!user.includes(':')) return { user, password };
    issues.push({ path: ['http'], message: 'CHAINWATCH_ADMIN_USER must not contain ":" (HTTP Basic splits on it)' });
    return null;
  }
  issues.push({
    path: ['http'],
    message: `Bull Board needs both CHAINWATCH_ADMIN_USER and CHAINWATCH_ADMIN_PASSWORD (or *_FILE); ${user ? 'CHAINWATCH_ADMIN_PASSWORD' : 'CHAINWATCH_ADMIN_USER'} is missing`,
  });
  return null;
}

/** On the raw entry, so that a network with other problems still counts. */
function checkUniqueName(raw: unknown, i: number, seen: Map<string, number>, issues: RawIssue[]): void {
  const name = (raw as { name?: unknown } | null)?.name;
  if (typeof name !== 'string') return;
  const first = seen.get(name);
  if (first === undefined) seen.set(name, i);
  else
    issues.push({
      path: ['networks', i, 'name'],
      message: `duplicate network name ${quote(name)} (also networks[${first}])`,
      plain: `duplicate network name (also networks[${first}])`,
    });
}

/** Preset, then built-in defaults < `defaults.thresholds` < the network's own `thresholds`. */
function resolveNetwork(
  n: NetworkInput,
  at: Path,
  defaults: Partial<Thresholds>,
  issues: RawIssue[],
  secrets: Secrets,
): Network | undefined {
  const before = issues.length;
  // NetworkSchema has already rejected unknown chain names.
  const preset = n.chain === undefined ? undefined : resolvePreset(n.chain);
  if (n.chain === undefined && n.chainId === undefined) {
    issues.push({ path: [...at, 'chainId'], message: 'required when no `chain` is given' });
  }
  if (preset && n.chainId !== undefined && n.chainId !== preset.chainId) {
    issues.push({
      path: [...at, 'chainId'],
      quotes: [[...at, 'chain']],
      message: `${n.chainId} does not match chain ${quote(n.chain!)} (chain id ${preset.chainId})`,
      plain: 'does not match the chain id of `chain`',
    });
  }
  const blockTimeMs = n.blockTime ?? preset?.blockTimeMs;
  if (blockTimeMs === undefined) {
    issues.push({
      path: [...at, 'blockTime'],
      message: preset ? 'required: viem has no block time for this chain' : 'required when no `chain` is given',
    });
  }
  const endpoints = n.endpoints ?? presetEndpoints(preset?.rpcUrls ?? []);
  if (endpoints.length === 0) {
    issues.push({
      path: [...at, 'endpoints'],
      message: preset ? 'required: viem lists no RPC URL for this chain' : 'required when no `chain` is given',
    });
  }
  checkUniqueLabels(endpoints, n.endpoints ? [...at, 'endpoints'] : undefined, issues);
  if (n.quorum !== undefined && endpoints.length > 0 && n.quorum > endpoints.length) {
    issues.push({ path: [...at, 'quorum'], message: `${n.quorum} is more than the ${endpoints.length} endpoints listed` });
  }
  const thresholds = blockTimeMs === undefined ? undefined : resolveThresholds(n, at, blockTimeMs, defaults, issues);
  const socialInput = n.social == null ? null : parseSection(SocialSchema, n.social, [...at, 'social'], issues);
  const { social, error } = socialInput === undefined ? {} : resolveSocial(socialInput);
  if (error) issues.push({ path: [...at, 'social', error.key], message: error.message });
  const probeInput = n.probe == null ? null : parseSection(ProbeSchema, n.probe, [...at, 'probe'], issues);
  const probe =
    probeInput && blockTimeMs !== undefined
      ? resolveProbe(probeInput, { blockTimeMs, endpoints }, secrets, [...at, 'probe'], issues)
      : undefined;
  const statusPageInput = n.statusPage == null ? null : parseSection(StatusPageSchema, n.statusPage, [...at, 'statusPage'], issues);
  const statusPage = statusPageInput ? resolveStatusPage(statusPageInput, [...at, 'statusPage'], issues) : undefined;
  if (issues.length > before || !thresholds || blockTimeMs === undefined) return undefined;
  const explorerUrl = n.explorerUrl ?? preset?.explorerUrl;
  return {
    name: n.name,
    displayName: n.displayName ?? preset?.displayName ?? n.name,
    chainId: (n.chainId ?? preset?.chainId)!,
    blockTimeMs,
    endpoints,
    thresholds,
    ...(explorerUrl ? { explorerUrl } : {}),
    ...(n.quorum !== undefined ? { quorum: n.quorum } : {}),
    ...(social ? { social } : {}),
    ...(n.minClientVersion ? { minClientVersion: n.minClientVersion } : {}),
    ...(probe ? { probe } : {}),
    ...(statusPage ? { statusPage } : {}),
    // A stall someone wrote is the learnt stall's ceiling (src/engine/detectors/learnt.ts).
    ...(n.thresholds?.stallMs !== undefined || defaults.stallMs !== undefined ? { learn: { stallWritten: true } } : {}),
  };
}

/** viem's URLs for the chain, labelled "default", "default-2", … */
function presetEndpoints(urls: string[]): Endpoint[] {
  return urls.map((url, i) => ({ label: i === 0 ? 'default' : `default-${i + 1}`, url }));
}

function checkUniqueLabels(endpoints: Endpoint[], at: Path | undefined, issues: RawIssue[]): void {
  const seen = new Map<string, number>();
  endpoints.forEach((e, j) => {
    const first = seen.get(e.label);
    if (first === undefined) seen.set(e.label, j);
    else if (at)
      issues.push({
        path: [...at, j, 'label'],
        message: `duplicate label ${quote(e.label)} (also endpoints[${first}])`,
        plain: `duplicate label (also endpoints[${first}])`,
      });
  });
}

function resolveThresholds(n: NetworkInput, at: Path, blockTimeMs: number, defaults: Partial<Thresholds>, issues: RawIssue[]): Thresholds {
  const { thresholds, origin } = mergeThresholds<Path>(defaultThresholds(blockTimeMs), [
    { source: ['defaults', 'thresholds'], values: defaults },
    { source: [...at, 'thresholds'], values: n.thresholds ?? {} },
  ]);
  for (const { blame } of crossCheckThresholds(thresholds, blockTimeMs)) {
    // Blame a value someone wrote; if every side is built in, the block time produced it.
    const written = blame.find(([f]) => origin[f]);
    if (!written) {
      const [f, message] = blame[0]!;
      issues.push({ path: [...at, 'blockTime'], message: `gives built-in thresholds that conflict: ${fileKey(f)} ${message}` });
      continue;
    }
    const [f, message] = written;
    const shared = origin[f]![0] === 'defaults';
    issues.push({ path: [...origin[f]!, fileKey(f)], message: shared ? `${message} for ${formatPath(at)}` : message });
  }
  return thresholds;
}
