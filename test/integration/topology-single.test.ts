/** The integration paths (test/integration/topology/paths.ts) on one Redis server (REDIS_URL). */
import { topologyPaths } from './topology/paths';

topologyPaths('single');
