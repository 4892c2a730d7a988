/** The largest request body, in bytes. */
export const BODY_LIMIT = 1024 * 1024

/** find-my-way's limit on a path parameter (Fastify's default); ids are 36 characters. A longer one is answered 414. */
export const MAX_PARAM_LENGTH = 100
