/** Why the checkout at `root` needs a build, or undefined when dist/ is up to date. */
export function staleReason (root: string): string | undefined
