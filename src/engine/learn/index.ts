/** Learnt thresholds: what a chain normally does, from the heads we see. Pure throughout. */
export * from './interval-sketch';
export * from './rhythm';
export * from './thresholds';
export * from './throughput';
export { negBinCdf, negBinSf, poissonCdf, poissonSf } from './stats';
