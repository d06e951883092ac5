// startAnvil lives in src because `chainwatch demo` runs anvil at runtime too.
export { startAnvil, type Anvil, type StartAnvilOptions } from '../../src/chain/anvil';
export { anvilBinary } from '../../src/chain/anvil-binary';
