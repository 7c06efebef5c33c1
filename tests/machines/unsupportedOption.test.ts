import { describe, expect, it } from "vitest";
import { failureFromNativeError, failureSentence, NativeErrorSchema } from "../../machines/index.ts";
import { ref } from "vue";
import { createTranslator } from "../../src/i18n/i18n.ts";

describe("an option the profile's provider does not take", () => {
  it("was not sent, names the option as the quoted detail and has its sentence and hint in both languages", () => {
    const error = NativeErrorSchema.parse({ code: "unsupported_option", message: "the provider does not take quality", sent: false, may_have_run: false, option: "quality" });
    const failure = failureFromNativeError(error);
    expect(failure).toMatchObject({ code: "unsupported_option", mayHaveRun: false, providerText: "quality" });
    expect(failureSentence(failure)).toEqual({ key: "unsupported_option" });
    for (const locale of ["en", "zh"] as const) {
      const { t } = createTranslator(ref(locale));
      expect(t("failure.unsupported_option" as never)).toMatch(locale === "en" ? /does not take one of the request's options/ : /不接受请求中的某个选项/);
      expect(t("hint.unsupported_option")).toMatch(locale === "en" ? /Clear that option/ : /清除该选项/);
    }
  });

  it("refuses an option name that is not a request field's", () => {
    expect(NativeErrorSchema.safeParse({ code: "unsupported_option", message: "m", option: "<img src=x>" }).success).toBe(false);
  });
});
