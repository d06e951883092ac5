// startAnvil lives in src because `chainwatch demo` runs anvil at runtime too.
export { startAnvil, type Anvil, type StartAnvilOptions } from '../../src/devnet/anvil';
export { anvilBinary } from '../../src/devnet/anvil-binary';
