/** The integration paths (test/integration/topology/paths.ts) on a local Redis Cluster: 3 primaries, 3 replicas. */
import { topologyPaths } from './topology/paths';

topologyPaths('cluster');
