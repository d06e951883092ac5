/** A command line that does not fit the usage: told with the usage text, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
