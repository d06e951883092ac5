// The implementation lives in src: `chainwatch demo` needs it at runtime too.
export { freePort } from '../../src/devnet/anvil';
