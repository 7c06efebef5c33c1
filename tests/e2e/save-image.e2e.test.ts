// Download saves through the host: the dev host's save dialog answers a path under its home, and
// the plugin's native save_image writes the image there. Needs `npm run build:e2e`.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { chooseMode, generate, openPanel, useHarness } from "./support/harness.ts";

const harness = useHarness();

it("saves a generated image through the host's save dialog and the native backend, and says so", async () => {
  const { page } = await openPanel(harness());
  await chooseMode(page, "Mock");
  await generate(page, "a lighthouse to keep");
  await page.getByTestId("gallery-image").first().waitFor();

  await page.getByTestId("gallery-image").first().getByRole("button", { name: "Download image" }).click();
  await expect.poll(() => page.getByTestId("image-notice").innerText()).toBe("Image saved");

  const savedDir = join(harness().home, ".haloforge", "devhost", "saved");
  const saved = readdirSync(savedDir);
  expect(saved).toHaveLength(1);
  expect(saved[0]).toMatch(/^image-[0-9a-f]{8}-0\.png$/);
  expect(readFileSync(join(savedDir, saved[0]!)).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  // The native log line names the type and size, never where the file went.
  expect(harness().logText()).toMatch(/image saved type=png bytes=\d+/);
  expect(harness().logText()).not.toContain(savedDir);
  // A loaded 2-core machine takes more than the default 5 s for the generate, the dialog and the write.
}, 30_000);
