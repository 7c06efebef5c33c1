/** Calls to the devhost. A non-2xx answer rejects with its body text (the host's error message). */
export async function postJson(path: string, body: unknown): Promise<unknown> {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body ?? {}),
  });
  return answer(response);
}

export async function getJson(path: string): Promise<unknown> {
  return answer(await fetch(path));
}

async function answer(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!response.ok) throw new HostRejection(text || `HTTP ${response.status}`, response.status);
  return text ? (JSON.parse(text) as unknown) : null;
}

/** Carries the status so callers can choose how to reject (Tauri rejects with the bare string). */
export class HostRejection extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "HostRejection";
  }
}
