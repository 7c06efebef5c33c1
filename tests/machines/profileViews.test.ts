import { describe, expect, it } from "vitest";
import { createActor } from "xstate";
import { gatewayMachine, OPENAI_FIELDS, selectGatewayStatus, selectRequestView, type EndpointDescription, type RequestMachineInput } from "../../machines/index.ts";
import { validateRequestInput } from "../../machines/rules/requestInput.schema.ts";
import { createBoundary, CUSTOM, failure, gatewayResolved, MANAGED, validGenerate } from "./support.ts";

const endpoint: EndpointDescription = {
  profileId: "relay",
  profileName: "Night relay",
  baseUrl: "https://relay.example/v1",
  dialect: "images",
  auth: "api-key",
  editUpload: "multipart",
  allowInsecureHttp: false,
  timeoutMs: 300_000,
  responsesModel: "gpt-4.1",
  fields: OPENAI_FIELDS,
};

async function failedWith401(resolution = CUSTOM) {
  const boundary = createBoundary(resolution);
  const input: RequestMachineInput = { id: "req-1", input: validateRequestInput(validGenerate()), endpoint, settings: { timeoutMs: 300_000, maxRetries: 0 }, now: boundary.now, random: () => 0.5 };
  const actor = createActor(boundary.request, { input, clock: boundary.clock }).start();
  actor.send({ type: "request.start" });
  await gatewayResolved(actor);
  boundary.answer("req-1", { type: "gateway.failed", failure: failure({ code: "unauthorized", status: 401, mayHaveRun: false }) });
  return selectRequestView(actor.getSnapshot(), boundary.now());
}

describe("a request through an endpoint profile", () => {
  it("names its profile, and a refused key points at the profile's key header first", async () => {
    const view = await failedWith401();
    expect(view).toMatchObject({ profileId: "relay", profileName: "Night relay", phase: "failed" });
    expect(view.error).toMatchObject({ code: "unauthorized", hint: "unauthorizedAuth", fix: "openSettings", sentence: { key: "unauthorized" } });
    expect(view.error?.hintText).toBe("Check the profile's key header (Bearer, api-key or x-goog-api-key), then its key.");
  });

  it("names no profile and keeps the plain key hint on the managed gateway", async () => {
    const view = await failedWith401(MANAGED);
    expect(view.profileName).toBeUndefined();
    expect(view.error?.hint).toBe("unauthorized");
  });
});

describe("the status line", () => {
  it("says the resolved profile's name where it would say custom endpoint", () => {
    const actor = createActor(gatewayMachine(), {
      input: { mode: "auto", host: { managed: "absent" }, custom: { profileId: "relay", profileName: "Night relay", baseUrl: "https://relay.example/v1", valid: true, keySet: true }, flavour: "production" },
    }).start();
    expect(selectGatewayStatus(actor.getSnapshot().context, false)).toMatchObject({ status: "available", labelKey: "custom", profileName: "Night relay", reason: "customConfigured" });
    // Another profile is another endpoint: what the first one's calls proved does not carry over.
    actor.send({ type: "custom.fact", seq: 1, outcome: { ok: true } });
    expect(selectGatewayStatus(actor.getSnapshot().context, false)).toMatchObject({ tone: "ok" });
    actor.send({ type: "settings.changed", custom: { profileId: "azure", profileName: "Azure", baseUrl: "https://relay.example/v1", valid: true, keySet: true } });
    expect(selectGatewayStatus(actor.getSnapshot().context, false)).toMatchObject({ tone: "neutral", proof: "customUntried", profileName: "Azure" });
  });
});
