/**
 * The `redis:` section (src/config/redis.ts): url, cluster or sentinel, exactly one; passwords
 * from the environment only; TLS and its CA; the replica wait; and the environment-only form the
 * demo uses. Every error names its key and never quotes a value from the environment.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, parseConfig, redisConfigFromEnv, redisTargetFromEnv } from '../../src/config';

const NETWORK = 'networks:\n  - { name: a, chain: base }\n';
const SECRET = 'pw-9f8e7d6c5b4a3210';

function parse(redis: string, env: Record<string, string | undefined> = {}, files: Record<string, string> = {}) {
  return parseConfig(`redis: ${redis}\n${NETWORK}`, env, {
    readFile: (path) => {
      if (path in files) return files[path]!;
      throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    },
  }).redis;
}

function issues(redis: string, env: Record<string, string | undefined> = {}, files: Record<string, string> = {}): string[] {
  try {
    parse(redis, env, files);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    assert.ok(!err.message.includes(SECRET), `a secret in: ${err.message}`);
    return err.issues.map((i) => `${i.path}: ${i.message}`);
  }
  return assert.fail('expected a ConfigError');
}

test('url as before; nothing given is the local default; an empty value counts as absent', () => {
  assert.deepEqual(parse('{ url: "redis://r:6380", prefix: cw }'), { url: 'redis://r:6380', prefix: 'cw' });
  assert.deepEqual(parse('{}'), { url: 'redis://127.0.0.1:6379', prefix: 'chainwatch' });
  assert.deepEqual(parse('{ url: "", cluster: { nodes: "" }, sentinel: { name: x, nodes: [] } }'), {
    url: 'redis://127.0.0.1:6379',
    prefix: 'chainwatch',
  });
});

test('cluster and sentinel: nodes as a list or one comma-separated string; WAIT for one replica by default', () => {
  const nodes = [
    { host: '10.0.0.1', port: 6379 },
    { host: 'redis-b.internal', port: 7000 },
    { host: '::1', port: 6380 },
  ];
  const wait = { replicas: 1, timeoutMs: 500 };
  assert.deepEqual(parse('{ cluster: { nodes: ["10.0.0.1:6379", "redis-b.internal:7000", "[::1]:6380"] } }'), {
    prefix: 'chainwatch',
    cluster: { nodes },
    wait,
  });
  assert.deepEqual(parse('{ cluster: { nodes: "${NODES}" } }', { NODES: '10.0.0.1:6379, redis-b.internal:7000,[::1]:6380' }).cluster, {
    nodes,
  });
  assert.deepEqual(parse('{ sentinel: { name: mymaster, nodes: "s1:26379,s2:26379" }, wait: { replicas: 2, timeout: 1s } }'), {
    prefix: 'chainwatch',
    sentinel: {
      name: 'mymaster',
      nodes: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
    },
    wait: { replicas: 2, timeoutMs: 1000 },
  });
  assert.equal(parse('{ cluster: { nodes: [a:1] }, wait: { replicas: 0 } }').wait, undefined, 'replicas: 0 turns WAIT off');
  assert.deepEqual(parse('{ url: "redis://r:1", wait: { timeout: 200ms } }').wait, { replicas: 1, timeoutMs: 200 });
});

test('exactly one of url, cluster, sentinel; bad nodes, names and keys are named', () => {
  assert.deepEqual(issues('{ url: "redis://r:1", cluster: { nodes: [a:1] } }'), [
    'redis: give exactly one of url, cluster or sentinel (found url and cluster)',
  ]);
  assert.deepEqual(issues('{ cluster: { nodes: "a:1,${NODE}" } }', { NODE: `${SECRET}:99999` }), [
    'redis.cluster.nodes: entry 2 is not host:port (e.g. 10.0.0.1:6379)',
  ]);
  assert.deepEqual(issues('{ sentinel: { nodes: [s:26379] } }'), ['redis.sentinel.name: required']);
  assert.deepEqual(issues('{ sentinel: { name: "", nodes: [s:26379] } }'), [
    'redis.sentinel.name: required: the name in `sentinel monitor <name> …`',
  ]);
  assert.deepEqual(issues('{ clustr: { nodes: [a:1] } }'), ['redis.clustr: unknown key (did you mean "cluster"?)']);
  assert.deepEqual(issues('{ cluster: { nodes: [a:1], password: x } }'), ['redis.cluster.password: unknown key']);
  assert.deepEqual(issues('{ url: "http://r:1" }'), ['redis.url: protocol must be redis or rediss']);
  assert.deepEqual(issues('{ url: "redis://r:1", wait: { timeout: 1m } }'), ['redis.wait.timeout: must be at most 10s']);
});

test('passwords: from REDIS_PASSWORD / REDIS_SENTINEL_PASSWORD (or *_FILE) or ${VAR}, never written in the file', () => {
  assert.equal(parse('{ url: "redis://r:1" }', { REDIS_PASSWORD: SECRET }).password, SECRET);
  assert.equal(parse('{ url: "redis://r:1", password: "${MY_PW}" }', { MY_PW: SECRET }).password, SECRET);
  const s = parse(
    '{ sentinel: { name: m, nodes: [s:1] } }',
    { REDIS_SENTINEL_PASSWORD_FILE: '/run/secrets/sp' },
    { '/run/secrets/sp': `${SECRET}\n` },
  );
  assert.equal(s.sentinel?.password, SECRET);
  assert.deepEqual(issues(`{ url: "redis://r:1", password: ${SECRET} }`), [
    'redis.password: must come from the environment: write ${VAR} here, or set REDIS_PASSWORD and leave the key out',
  ]);
  assert.deepEqual(issues(`{ sentinel: { name: m, nodes: [s:1], password: ${SECRET} } }`), [
    'redis.sentinel.password: must come from the environment: write ${VAR} here, or set REDIS_SENTINEL_PASSWORD and leave the key out',
  ]);
  assert.deepEqual(issues('{ url: "redis://r:1" }', { REDIS_PASSWORD_FILE: '/missing' }), [
    'redis: REDIS_PASSWORD_FILE names "/missing", which cannot be read (ENOENT: no such file)',
  ]);
});

test('TLS: rediss:// or tls: true, with the CA from REDIS_TLS_CA_FILE; a CA without TLS is a mistake', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
  assert.deepEqual(parse('{ url: "rediss://r:6380" }').tls, {});
  assert.deepEqual(parse('{ cluster: { nodes: [a:1] }, tls: true }', { REDIS_TLS_CA_FILE: '/ca.pem' }, { '/ca.pem': pem }).tls, {
    ca: pem,
  });
  assert.deepEqual(issues('{ url: "redis://r:1" }', { REDIS_TLS_CA_FILE: '/ca.pem' }, { '/ca.pem': pem }), [
    'redis: REDIS_TLS_CA_FILE is set but TLS is off: use a rediss:// url or tls: true',
  ]);
  assert.deepEqual(issues('{ url: "rediss://r:1", tls: false }'), ['redis.tls: false contradicts the rediss:// url']);
});

test('the demo’s environment: REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS (+ REDIS_SENTINEL_NAME)', () => {
  assert.equal(redisTargetFromEnv({}), null);
  assert.deepEqual(redisConfigFromEnv({ REDIS_URL: 'redis://r:1' }, 'p'), { prefix: 'p', url: 'redis://r:1' });
  assert.deepEqual(redisConfigFromEnv({ REDIS_CLUSTER_NODES: 'a:1,b:2', REDIS_PASSWORD: SECRET }, 'p'), {
    prefix: 'p',
    password: SECRET,
    cluster: {
      nodes: [
        { host: 'a', port: 1 },
        { host: 'b', port: 2 },
      ],
    },
    wait: { replicas: 1, timeoutMs: 500 },
  });
  assert.deepEqual(redisTargetFromEnv({ REDIS_SENTINELS: 's:26379' }), {
    sentinel: { name: 'mymaster', nodes: [{ host: 's', port: 26379 }] },
  });
  assert.equal(redisTargetFromEnv({ REDIS_SENTINELS: 's:26379', REDIS_SENTINEL_NAME: 'cw' })?.sentinel?.name, 'cw');
  assert.throws(
    () => redisTargetFromEnv({ REDIS_URL: 'redis://r:1', REDIS_SENTINELS: 's:1' }),
    /^Error: set only one of REDIS_URL, REDIS_CLUSTER_NODES and REDIS_SENTINELS \(found REDIS_URL and REDIS_SENTINELS\)$/,
  );
  assert.throws(
    () => redisTargetFromEnv({ REDIS_CLUSTER_NODES: `a:1,${SECRET}` }),
    (err: Error) => {
      assert.equal(err.message, 'REDIS_CLUSTER_NODES: entry 2 is not host:port (write REDIS_CLUSTER_NODES=10.0.0.1:6379,10.0.0.2:6379)');
      return true;
    },
  );
  assert.throws(() => redisTargetFromEnv({ REDIS_URL: `http://${SECRET}` }), /^Error: REDIS_URL: not a redis:\/\/ or rediss:\/\/ URL$/);
});
