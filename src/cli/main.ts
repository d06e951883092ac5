import { ConfigError, loadConfig } from '../config';
import { ListenError } from '../http/server';
import { createLogger } from '../util/log';
import { runDemo } from './demo';
import { runDeployCommands } from './deploy-commands';
import { runRecord } from './record';
import { runReplay } from './replay';
import { runStart } from './start';
import { UsageError } from './errors';
import { parseArgs } from 'node:util';
import { runClassify } from './classify';
import { configPath } from './config-path';
import { networkTermsOf } from '../social/attribute';

const USAGE = `chainwatch — outage alerts for blockchain networks

Usage:
  chainwatch start   [--config FILE] [--role all|worker|scheduler|bot]   watch the configured networks
  chainwatch deploy-commands [--config FILE] [--global]              register the Discord slash commands
  chainwatch demo    [--keep]                                        local chain, halt, incident, recovery
  chainwatch replay  FILE.jsonl [--events]                           run detectors over a recorded timeline
  chainwatch record  --out FILE.jsonl [--config FILE] [--network NAME,...] [--duration 10m]
  chainwatch classify [--config FILE] [--reasons] [--outages-only] < posts.jsonl

Config: --config, else $CHAINWATCH_CONFIG, else config/chainwatch.yaml, else config/example.yaml.
Logs are JSON lines on stderr (LOG_LEVEL=debug for more); incidents print on stdout.`;

/** The one CLI boundary: errors are caught and told here, once. Returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const log = createLogger(process.env.LOG_LEVEL ?? (command === 'demo' ? 'warn' : 'info'));
  try {
    switch (command) {
      case 'start':
        return await runStart(rest, log);
      case 'demo':
        return await runDemo(rest, log);
      case 'replay':
        return await runReplay(rest);
      case 'record':
        return await runRecord(rest, log);
      case 'deploy-commands':
        return await runDeployCommands(rest, log);
      case 'classify':
        return await runClassifyCommand(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`unknown command "${command}"\n\n${USAGE}\n`);
        return 2;
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    // People read this line; services also get it as a structured log record.
    process.stderr.write(`chainwatch ${command}: ${(err as Error).message}\n`);
    // A port in use is the operator's to fix, not a bug: no stack trace.
    if (err instanceof ListenError) log.fatal({ address: err.address, code: err.code }, err.message);
    else if (command === 'start') log.fatal({ err }, (err as Error).message);
    else log.debug({ err }, 'command failed');
    return 1;
  }
}

/** Network terms come from the config (its `social.terms`, else the networks' names). */
async function runClassifyCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string' } }, strict: false });
  const config = loadConfig(configPath(typeof values.config === 'string' ? values.config : undefined));
  return runClassify(argv, networkTermsOf(config.networks));
}
