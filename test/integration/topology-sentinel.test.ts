/** The integration paths (test/integration/topology/paths.ts) on a local Sentinel set: primary, replica, 3 sentinels. */
import { topologyPaths } from './topology/paths';

topologyPaths('sentinel');
