import type { ExtraMessages } from "./i18n.ts";

/** The mock gateway's words: development builds only (production drops this module, and every word naming a mock). */
export const MOCK_MESSAGES: ExtraMessages = {
  en: {
    "gateway.label.mock": "Mock gateway",
    "gateway.mode.mock": "Mock",
    "reason.mockInDevelopment": "Auto chose the mock gateway: nothing else is configured in this development build.",
    "reason.mockSignedOut": "Auto chose the mock gateway: you are signed out of HaloForge and no custom endpoint is configured.",
  },
  zh: {
    "gateway.label.mock": "Mock gateway",
    "gateway.mode.mock": "Mock",
    "reason.mockInDevelopment": "自动模式选择了模拟网关：此开发版本中没有配置其他网关。",
    "reason.mockSignedOut": "自动模式选择了模拟网关：你已退出 HaloForge，且未配置自定义端点。",
  },
};
