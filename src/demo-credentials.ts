/** The key pair published in Calypso's API docs; it makes the docs' examples work against the mock. */
export const DOCS_API_KEY = 'c529e14832b34b74972365cf7bf02430'
export const DOCS_API_SECRET = 'b823a6b9ea72408583cef9ec8d67fa52'
export const DEFAULT_ACCOUNT = '0xca11ab1e00000000000000000000000000000001'
