// What other areas may use from src/chain. The anvil helpers and the fault proxy are
// test and demo tooling, imported by path.
export { classifyRpcError, type ClassifiedRpcError } from './classify-error';
export { closeEndpointClients, createEndpointClient, type EndpointClientOptions } from './client';
export { parseBlockRef, sampleHead, type ChainClient, type ParsedBlock, type SampleHeadParameters } from './sample-head';
export { fetchAncestors, type FetchAncestorsParameters } from './ancestors';
export type { BlockRef, FailureKind, HeadFailure, HeadOk, HeadSample } from '../model';
