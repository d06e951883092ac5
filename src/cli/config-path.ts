import { existsSync } from 'node:fs';

/** --config, else $CHAINWATCH_CONFIG, else config/chainwatch.yaml, else the shipped example. */
export function configPath(flag: string | undefined): string {
  if (flag) return flag;
  if (process.env.CHAINWATCH_CONFIG) return process.env.CHAINWATCH_CONFIG;
  return existsSync('config/chainwatch.yaml') ? 'config/chainwatch.yaml' : 'config/example.yaml';
}

/** Resolves on SIGINT or SIGTERM. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => resolve(sig);
    process.once('SIGINT', on);
    process.once('SIGTERM', on);
  });
}
