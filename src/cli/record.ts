import { parseArgs } from 'node:util';
import { closeEndpointClients, createEndpointClient } from '../chain/client';
import { sampleHead } from '../chain/sample-head';
import { loadConfig, parseDuration } from '../config';
import type { Network } from '../config/network';
import type { Logger } from '../util/log';
import { Recorder } from '../replay/recorder';
import { configPath, untilSignal } from './config-path';
import { UsageError } from './errors';

/**
 * Polls the configured networks as a worker would (same sampler, same intervals) and writes
 * every observation to a timeline file for `chainwatch replay`. Needs no Redis.
 */
export async function runRecord(argv: string[], log: Logger): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: 'string' }, config: { type: 'string' }, network: { type: 'string' }, duration: { type: 'string' } },
  });
  if (!values.out) throw new UsageError('record needs --out FILE.jsonl');
  const durationMs = values.duration ? parseDuration(values.duration) : Infinity;
  if (durationMs === undefined || durationMs <= 0) throw new UsageError(`--duration: not a duration ("${values.duration}")`);
  const config = loadConfig(configPath(values.config));
  const names = values.network?.split(',').map((s) => s.trim());
  const networks = names ? config.networks.filter((n) => names.includes(n.name)) : config.networks;
  const unknown = names?.filter((n) => !config.networks.some((c) => c.name === n)) ?? [];
  if (unknown.length)
    throw new UsageError(`--network: unknown network(s) ${unknown.join(', ')}; known: ${config.networks.map((n) => n.name).join(', ')}`);

  const recorder = new Recorder(values.out, networks);
  const timers = networks.map((n) => pollLoop(n, recorder, log));
  log.info({ out: values.out, networks: networks.map((n) => n.name), durationMs }, 'recording');
  await Promise.race([untilSignal(), ...(durationMs !== Infinity ? [new Promise((r) => setTimeout(r, durationMs))] : [])]);
  for (const stop of timers) stop();
  await closeEndpointClients();
  await recorder.close();
  log.info({ out: values.out, lines: recorder.lines }, 'recording written');
  return 0;
}

function pollLoop(network: Network, recorder: Recorder, log: Logger): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    const { requestTimeoutMs, pollIntervalMs, safeLagBlocks } = network.thresholds;
    const started = Date.now();
    const samples = await Promise.all(
      network.endpoints.map((ep) =>
        sampleHead(createEndpointClient(ep, { timeoutMs: requestTimeoutMs }), {
          network: network.name,
          endpoint: ep.label,
          withSafe: safeLagBlocks !== null,
        }),
      ),
    );
    await recorder.samples(samples);
    log.debug({ network: network.name, ok: samples.filter((s) => s.ok).length }, 'recorded poll');
    if (!stopped) timer = setTimeout(tick, Math.max(0, pollIntervalMs - (Date.now() - started)));
  };
  void tick();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
