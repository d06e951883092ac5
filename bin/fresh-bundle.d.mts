/** `null` when dist/cli.mjs may run (built from exactly the files on disk under `root`), else why not. */
export function staleReason(root: string): string | null;
