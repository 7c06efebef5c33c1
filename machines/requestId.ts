import { v7 as uuidv7 } from "uuid";

/** The default request ID: a UUID v7, so IDs sort by creation time in logs. Tests inject their own. */
export const createRequestId = (): string => uuidv7();
