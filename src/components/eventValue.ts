/**
 * The value of the field an input or change event came from, for fields that bind `:value` plus a
 * handler where v-model would differ: the prompt is saved while an IME is still composing (v-model
 * waits for the composition to end), and a field whose value is mapped (a number, an empty choice
 * meaning the model default, a setting with a fallback) keeps the mapping in its handler.
 */
export const eventValue = (event: Event) => (event.target as HTMLInputElement).value;
export const eventNumber = (event: Event) => (event.target as HTMLInputElement).valueAsNumber;
