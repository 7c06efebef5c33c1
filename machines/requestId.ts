/**
 * The default request ID: a random UUID from the platform. Log lines carry their own time, so a
 * time-ordered ID (v7) would buy nothing but a dependency in the bundle. Tests inject their own.
 */
export const createRequestId = (): string => globalThis.crypto.randomUUID();
