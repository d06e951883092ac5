import { SEVERITIES, type Severity, SIGNAL_KINDS, type SignalKind } from '../model';

/** Titles say what is wrong in plain words; `endpoint` names the provider for endpoint kinds. */
export function incidentTitle(kind: SignalKind, endpoint?: string): string {
  switch (kind) {
    case 'halted':
      return 'Block production halted';
    case 'rpc_unreachable':
      return 'Public RPC unreachable';
    case 'low_throughput':
      return 'Blocks are nearly empty: transactions are not getting in';
    case 'inclusion_delay':
      return 'Transactions are not being included';
    case 'reorg':
      return 'Chain reorganization';
    case 'slow_blocks':
      return 'Blocks slower than usual';
    case 'memory_pressure':
      return endpoint ? `Node ${endpoint} running out of memory` : 'Node running out of memory';
    case 'safe_lag':
      return 'Safe head lagging';
    case 'endpoint_down':
      return endpoint ? `RPC provider ${endpoint} down` : 'One RPC provider down';
    case 'endpoint_lagging':
      return endpoint ? `RPC provider ${endpoint} lagging` : 'One RPC provider lagging';
    case 'endpoint_divergent':
      return endpoint ? `RPC provider ${endpoint} reports a chain no other provider sees` : 'One RPC provider disagrees with the others';
    case 'endpoint_wrong_chain':
      return endpoint ? `RPC provider ${endpoint} serves another chain` : 'One RPC provider serves another chain';
    case 'status_page':
      return 'The official status page reports a problem';
    case 'social_reports':
      return 'Users report problems';
  }
}

/** Lower is worse: SIGNAL_KINDS is ordered worst first. */
export function kindRank(kind: SignalKind): number {
  return SIGNAL_KINDS.indexOf(kind);
}

export function worseKind(a: SignalKind, b: SignalKind): SignalKind {
  return kindRank(a) <= kindRank(b) ? a : b;
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}
