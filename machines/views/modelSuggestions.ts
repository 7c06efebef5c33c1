import { KNOWN_MODELS } from "../rules/models.ts";

/** A model an endpoint listed: `image` says whether it makes images, null where the list does not say. */
export interface ListedModel {
  id: string;
  image: boolean | null;
}

/**
 * The model field's suggestions: the models the endpoint listed that may make images (those it
 * marks as not making images are left out), then the built-in names it did not list.
 */
export function modelSuggestions(listed: readonly ListedModel[] | undefined): string[] {
  const ids = (listed ?? []).filter((model) => model.image !== false).map((model) => model.id);
  const seen = new Set(ids);
  return [...ids, ...KNOWN_MODELS.filter((name) => !seen.has(name))];
}
