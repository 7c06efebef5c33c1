import { describe, expect, it } from "vitest";
import { createHeldImages } from "../../src/images/heldImages.ts";
import { makeThumbnail, SMALL_IMAGE_BYTES, THUMBNAIL_WIDTH, type ThumbnailTools } from "../../src/images/thumbnail.ts";

const big = (label: string) => new Blob([new Uint8Array(SMALL_IMAGE_BYTES + 1).fill(label.charCodeAt(0))], { type: "image/png" });
const bitmap = (width: number) => {
  const closed = { value: false };
  return { bitmap: { width, height: width / 2, close: () => void (closed.value = true) } as unknown as ImageBitmap, closed };
};

/** Browser tools that record what they were asked; the "encoded" thumbnail names its source's size. */
function fakeTools() {
  const decoded: { blob: Blob; width: number }[] = [];
  const made = bitmap(THUMBNAIL_WIDTH);
  const tools: ThumbnailTools = {
    decodeScaled: async (blob, width) => {
      decoded.push({ blob, width });
      return made.bitmap;
    },
    encode: async (image) => new Blob([`thumb ${image.width}`], { type: "image/webp" }),
  };
  return { tools, decoded, closed: made.closed };
}

function fakeUrls() {
  let next = 0;
  const live = new Set<string>();
  return {
    live,
    objectUrls: {
      create: () => {
        const url = `blob:test/${(next += 1)}`;
        live.add(url);
        return url;
      },
      revoke: (url: string) => void live.delete(url),
    },
  };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("thumbnails", () => {
  it("decodes scaled to the thumbnail width, encodes only the small result and releases the decoded image", async () => {
    const { tools, decoded, closed } = fakeTools();
    const image = big("a");
    const thumb = await makeThumbnail(image, tools);
    expect(decoded).toEqual([{ blob: image, width: THUMBNAIL_WIDTH }]);
    expect(thumb.type).toBe("image/webp");
    expect(await thumb.text()).toBe(`thumb ${THUMBNAIL_WIDTH}`);
    expect(closed.value).toBe(true);
  });

  it("makes each image's thumbnail once, however many places ask, and shows it once made", async () => {
    const { tools, decoded } = fakeTools();
    const { objectUrls } = fakeUrls();
    const held = createHeldImages({ objectUrls, makeThumbnail: (blob) => makeThumbnail(blob, tools) });
    const image = big("a");
    // Card, result and history row ask before it exists: nothing yet, and one decode started.
    expect([held.thumbnail(image), held.thumbnail(image), held.thumbnail(image)]).toEqual([undefined, undefined, undefined]);
    await settled();
    const thumb = held.thumbnail(image);
    expect(thumb).toMatch(/^blob:test\//);
    expect(held.thumbnail(image)).toBe(thumb);
    expect(thumb).not.toBe(held.url(image));
    expect(decoded).toHaveLength(1);
  });

  it("shows a small image and a remote one as they are, without decoding", () => {
    const { tools, decoded } = fakeTools();
    const { objectUrls } = fakeUrls();
    const held = createHeldImages({ objectUrls, makeThumbnail: (blob) => makeThumbnail(blob, tools) });
    const small = new Blob(["png"], { type: "image/png" });
    expect(held.thumbnail(small)).toBe(held.url(small));
    expect(held.thumbnail("https://cdn.example/a.png")).toBe("https://cdn.example/a.png");
    expect(decoded).toHaveLength(0);
  });

  it("shows the full image when the browser cannot scale it", async () => {
    const { objectUrls } = fakeUrls();
    const held = createHeldImages({ objectUrls, makeThumbnail: () => Promise.reject(new Error("no canvas")) });
    const image = big("b");
    expect(held.thumbnail(image)).toBeUndefined();
    await settled();
    expect(held.thumbnail(image)).toBe(held.url(image));
  });

  it("gives each Blob one object URL and releases every URL, thumbnails too, with the panel", async () => {
    const { tools } = fakeTools();
    const { objectUrls, live } = fakeUrls();
    const held = createHeldImages({ objectUrls, makeThumbnail: (blob) => makeThumbnail(blob, tools) });
    const image = big("c");
    const url = held.url(image);
    expect(held.url(image)).toBe(url);
    expect(held.blobAt(url)).toBe(image);
    held.thumbnail(image);
    await settled();
    expect(live.size).toBe(2);
    held.dispose();
    expect(live.size).toBe(0);
  });

  it("makes no URL for a thumbnail that is finished after the panel closed", async () => {
    let finish: (blob: Blob) => void = () => undefined;
    const { objectUrls, live } = fakeUrls();
    const held = createHeldImages({ objectUrls, makeThumbnail: () => new Promise((resolve) => (finish = resolve)) });
    held.thumbnail(big("d"));
    held.dispose();
    finish(new Blob(["late"]));
    await settled();
    expect(live.size).toBe(0);
  });
});
