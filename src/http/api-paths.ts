/** Calypso's API lives under this prefix; the journal and the faults watch only these calls. */
export const API_PREFIX = '/api/'

export function isApiCall (url: string): boolean {
  return url.startsWith(API_PREFIX)
}

export function pathOf (url: string): string {
  const query = url.indexOf('?')
  return query === -1 ? url : url.slice(0, query)
}
