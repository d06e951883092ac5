import type { Network } from '../config/network';
import type { Incident, IncidentEvent, Publisher } from '../model';
import { renderConsoleEvent } from './render';

/** The dry-run sink: what runs when no Discord or X credentials are configured. */
export class ConsolePublisher implements Publisher {
  readonly sink = 'console' as const;

  constructor(
    private readonly write: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
    private readonly networks: ReadonlyMap<string, Network> = new Map(),
    private readonly color = process.stdout.isTTY === true,
  ) {}

  async deliver(event: IncidentEvent, incident: Incident): Promise<Record<string, string>> {
    const networkName = this.networks.get(event.network)?.displayName;
    this.write(renderConsoleEvent(event, incident, { color: this.color, ...(networkName ? { networkName } : {}) }));
    return {};
  }
}
