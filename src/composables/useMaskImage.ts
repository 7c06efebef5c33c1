import { inject, type InjectionKey } from "vue";
import { browserMaskImage, type MaskImage } from "../mask/maskImage.ts";

export const MASK_IMAGE_KEY: InjectionKey<MaskImage> = Symbol("hfmig-mask-image");

/** The mask PNG encoder/decoder: the browser's, unless a test provides another. */
export const useMaskImage = () => inject(MASK_IMAGE_KEY, browserMaskImage);
