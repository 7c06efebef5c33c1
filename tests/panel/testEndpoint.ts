import { OPENAI_FIELDS, type EndpointDescription } from "../../machines/index.ts";

/** A custom endpoint profile as a request captures it: OpenAI's Images API behind Bearer auth. */
export const TEST_ENDPOINT: EndpointDescription = {
  profileId: "default",
  profileName: "Relay",
  baseUrl: "https://api.example.com/v1",
  dialect: "images",
  auth: "bearer",
  editUpload: "multipart",
  allowInsecureHttp: false,
  timeoutMs: 300_000,
  responsesModel: "gpt-4.1",
  fields: OPENAI_FIELDS,
};
