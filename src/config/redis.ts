/**
 * The `redis:` section: how chainwatch reaches its Redis, in exactly one of three ways:
 *
 * - `url`: one server (`redis://`, or `rediss://` for TLS), as before;
 * - `cluster: { nodes }`: a Redis Cluster, found from any of its nodes;
 * - `sentinel: { name, nodes }`: the primary a set of Sentinels names, followed through failovers.
 *
 * Passwords never sit in the file as text: `REDIS_PASSWORD` and `REDIS_SENTINEL_PASSWORD` (or
 * their `*_FILE`) are read from the environment, or the file says `password: ${VAR}`. A CA for
 * TLS comes from the file `REDIS_TLS_CA_FILE` names. An empty value, as `${VAR:-}` gives when
 * VAR is unset, counts as absent: that is how one file (config/example.yaml) follows
 * REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS, whichever is set.
 */
import { z } from 'zod';
import { envSecrets, type Secrets } from './secrets';
import { count, duration, fail, strict, type Path, type RawIssue, SECOND } from './zod-helpers';
import { DEFAULT_REDIS_PREFIX, DEFAULT_REDIS_URL } from './defaults';

export interface HostPort {
  host: string;
  port: number;
}

/** `WAIT replicas timeout` after each incident transition and delivery record (0 replicas: off). */
export interface RedisWait {
  replicas: number;
  timeoutMs: number;
}

interface RedisCommon {
  /** Names keys and queues; src/model/keyspace.ts wraps it in Redis Cluster hash tags. */
  prefix: string;
  /** ACL user (Redis 6+); absent: the default user. */
  username?: string;
  /** From REDIS_PASSWORD or `password: ${VAR}`; a password inside `url` wins over it. */
  password?: string;
  /** TLS to every data node (and the sentinels). `ca`: PEM text of REDIS_TLS_CA_FILE. */
  tls?: { ca?: string };
  /** Absent: no WAIT (a single server usually has no replica to wait for). */
  wait?: RedisWait;
}

export type RedisConfig = RedisCommon &
  (
    | { url: string; cluster?: undefined; sentinel?: undefined }
    | { cluster: { nodes: HostPort[] }; url?: undefined; sentinel?: undefined }
    | { sentinel: { name: string; nodes: HostPort[]; password?: string }; url?: undefined; cluster?: undefined }
  );

/** Replicated durability by default where there are replicas: one copy, waited for at most 500 ms. */
export const DEFAULT_REDIS_WAIT: RedisWait = { replicas: 1, timeoutMs: 500 };
/** Sentinel's own default group name (sentinel.conf's example), used by the demo when REDIS_SENTINEL_NAME is unset. */
export const DEFAULT_SENTINEL_NAME = 'mymaster';
const MAX_NODES = 64;

/** `host:port`, `[v6]:port`; port 1-65535. Null when it is not one. */
export function parseHostPort(text: string): HostPort | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})?)):(\d{1,5})$/.exec(text.trim());
  if (!m) return null;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return null;
  return { host: m[1] ?? m[2]!, port };
}

/** A list of `host:port`, or one comma-separated string of them (so `${REDIS_CLUSTER_NODES}` works). Empty: []. */
const nodes = z
  .union([z.string(), z.array(z.string())], { error: 'expected a list of "host:port", or one string "host:port,host:port"' })
  .transform((v, ctx): HostPort[] => {
    const entries = (typeof v === 'string' ? v.split(',') : v).map((s) => s.trim()).filter((s) => s !== '');
    if (entries.length > MAX_NODES) return fail(ctx, `at most ${MAX_NODES} nodes`);
    const out: HostPort[] = [];
    entries.forEach((entry, i) => {
      const hp = parseHostPort(entry);
      // Never quoted: the list may come from the environment.
      if (!hp) ctx.addIssue({ code: 'custom', message: `entry ${i + 1} is not host:port (e.g. 10.0.0.1:6379)` });
      else out.push(hp);
    });
    return out;
  });

const optionalText = z.string().max(512).optional();

export const RedisSchema = strict({
  url: z
    .string()
    .superRefine((s, ctx) => {
      if (s === '') return;
      if (!URL.canParse(s)) ctx.addIssue({ code: 'custom', message: 'not a URL' });
      else if (!['redis:', 'rediss:'].includes(new URL(s).protocol))
        ctx.addIssue({ code: 'custom', message: 'protocol must be redis or rediss' });
    })
    .optional(),
  cluster: strict({ nodes }).optional(),
  sentinel: strict({
    name: z
      .string()
      .regex(/^[A-Za-z0-9._-]{0,64}$/, 'must be up to 64 letters, digits, ".", "_" or "-" (the name in `sentinel monitor <name> …`)'),
    nodes,
    password: optionalText,
  }).optional(),
  // Braces would clash with the Redis Cluster hash tag that src/model puts around the prefix.
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9:_-]{0,63}$/, 'must be 1-64 letters, digits, ":", "_" or "-" (no braces: the hash tag is added for you)')
    .optional(),
  username: optionalText,
  password: optionalText,
  tls: z.boolean({ error: 'must be true or false' }).optional(),
  wait: strict({ replicas: count(0, 16).optional(), timeout: duration({ min: 10, max: 10 * SECOND }).optional() }).optional(),
});
type RedisInput = z.output<typeof RedisSchema>;

/**
 * The parsed section + the environment -> RedisConfig, or undefined with its issues added.
 * `fromEnv(path)` tells whether the value at a path came from `${VAR}` (a password may only).
 */
export function resolveRedis(
  input: RedisInput,
  secrets: Secrets,
  issues: RawIssue[],
  fromEnv: (path: Path) => boolean,
): RedisConfig | undefined {
  const at: Path = ['redis'];
  const before = issues.length;
  const url = input.url || undefined;
  const cluster = input.cluster && input.cluster.nodes.length > 0 ? input.cluster : undefined;
  const sentinel = input.sentinel && input.sentinel.nodes.length > 0 ? input.sentinel : undefined;
  const given = [url && 'url', cluster && 'cluster', sentinel && 'sentinel'].filter((k): k is string => !!k);
  if (given.length > 1) issues.push({ path: at, message: `give exactly one of url, cluster or sentinel (found ${given.join(' and ')})` });
  if (sentinel && !sentinel.name)
    issues.push({ path: [...at, 'sentinel', 'name'], message: 'required: the name in `sentinel monitor <name> …`' });

  for (const [path, value] of [
    [[...at, 'password'], input.password],
    [[...at, 'sentinel', 'password'], input.sentinel?.password],
  ] as [Path, string | undefined][]) {
    if (value && !fromEnv(path)) issues.push({ path, message: secretInFile(path) });
  }
  for (const name of ['REDIS_PASSWORD', 'REDIS_SENTINEL_PASSWORD', 'REDIS_TLS_CA']) {
    const problem = secrets.fileProblem(name);
    if (problem) issues.push({ path: at, message: problem });
  }
  const password = input.password || secrets.get('REDIS_PASSWORD');
  const sentinelPassword = input.sentinel?.password || secrets.get('REDIS_SENTINEL_PASSWORD');
  const ca = secrets.get('REDIS_TLS_CA');
  const tlsOn = input.tls === true || (url !== undefined && url.startsWith('rediss:'));
  if (input.tls === false && url?.startsWith('rediss:'))
    issues.push({ path: [...at, 'tls'], message: 'false contradicts the rediss:// url' });
  if (ca && !tlsOn) issues.push({ path: at, message: 'REDIS_TLS_CA_FILE is set but TLS is off: use a rediss:// url or tls: true' });
  if (issues.length > before) return undefined;

  const common = {
    prefix: input.prefix ?? DEFAULT_REDIS_PREFIX,
    ...(input.username ? { username: input.username } : {}),
    ...(password ? { password } : {}),
    ...(tlsOn ? { tls: ca ? { ca } : {} } : {}),
  };
  // Cluster and Sentinel have replicas to wait for; a single server waits only when told to.
  const wait = (byDefault: boolean): { wait?: RedisWait } => {
    if (!input.wait && !byDefault) return {};
    const replicas = input.wait?.replicas ?? DEFAULT_REDIS_WAIT.replicas;
    return replicas > 0 ? { wait: { replicas, timeoutMs: input.wait?.timeout ?? DEFAULT_REDIS_WAIT.timeoutMs } } : {};
  };
  if (cluster) return { ...common, cluster: { nodes: cluster.nodes }, ...wait(true) };
  if (sentinel) {
    const s = { name: sentinel.name, nodes: sentinel.nodes, ...(sentinelPassword ? { password: sentinelPassword } : {}) };
    return { ...common, sentinel: s, ...wait(true) };
  }
  return { ...common, url: url ?? DEFAULT_REDIS_URL, ...wait(false) };
}

/** A password written out in the file would end up in backups, diffs and bug reports. */
function secretInFile(path: Path): string {
  const env = path.includes('sentinel') ? 'REDIS_SENTINEL_PASSWORD' : 'REDIS_PASSWORD';
  return `must come from the environment: write \${VAR} here, or set ${env} and leave the key out`;
}

/** Where to connect, as the demo and the tools read it from the environment. */
export type RedisTarget = Pick<RedisConfig, 'url' | 'cluster' | 'sentinel'>;

/**
 * REDIS_URL, REDIS_CLUSTER_NODES=host:port,… or REDIS_SENTINELS=host:port,… (with
 * REDIS_SENTINEL_NAME, default "mymaster"); null when none is set. Throws, naming the
 * variable, when a value is not usable or more than one is set (values are never quoted).
 */
export function redisTargetFromEnv(env: Record<string, string | undefined>): RedisTarget | null {
  const set = ['REDIS_URL', 'REDIS_CLUSTER_NODES', 'REDIS_SENTINELS'].filter((k) => env[k]);
  if (set.length > 1) throw new Error(`set only one of REDIS_URL, REDIS_CLUSTER_NODES and REDIS_SENTINELS (found ${set.join(' and ')})`);
  const list = (name: string): HostPort[] => {
    const entries = env[name]!.split(',').map((s) => s.trim());
    return entries.map((e, i) => {
      const hp = parseHostPort(e);
      if (!hp) throw new Error(`${name}: entry ${i + 1} is not host:port (write ${name}=10.0.0.1:6379,10.0.0.2:6379)`);
      return hp;
    });
  };
  if (env.REDIS_URL) {
    const ok = URL.canParse(env.REDIS_URL) && ['redis:', 'rediss:'].includes(new URL(env.REDIS_URL).protocol);
    if (!ok) throw new Error('REDIS_URL: not a redis:// or rediss:// URL');
    return { url: env.REDIS_URL };
  }
  if (env.REDIS_CLUSTER_NODES) return { cluster: { nodes: list('REDIS_CLUSTER_NODES') } };
  if (env.REDIS_SENTINELS) {
    const name = env.REDIS_SENTINEL_NAME || DEFAULT_SENTINEL_NAME;
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) throw new Error('REDIS_SENTINEL_NAME: must be 1-64 letters, digits, ".", "_" or "-"');
    return { sentinel: { name, nodes: list('REDIS_SENTINELS') } };
  }
  return null;
}

/**
 * A whole RedisConfig from the environment alone (the demo has no config file): the target
 * (redisTargetFromEnv), REDIS_PASSWORD / REDIS_SENTINEL_PASSWORD (or *_FILE), and the replica
 * wait a config file would get. Null when no target is set.
 */
export function redisConfigFromEnv(env: Record<string, string | undefined>, prefix: string): RedisConfig | null {
  const target = redisTargetFromEnv(env);
  if (!target) return null;
  const secrets = envSecrets(env);
  const password = secrets.get('REDIS_PASSWORD');
  const sentinelPassword = secrets.get('REDIS_SENTINEL_PASSWORD');
  const common = { prefix, ...(password ? { password } : {}) };
  if (target.cluster) return { ...common, cluster: target.cluster, wait: DEFAULT_REDIS_WAIT };
  if (target.sentinel)
    return {
      ...common,
      sentinel: { ...target.sentinel, ...(sentinelPassword ? { password: sentinelPassword } : {}) },
      wait: DEFAULT_REDIS_WAIT,
    };
  return { ...common, url: target.url! };
}
