/** Host CSS variables for each theme, set on <html> with `data-theme`. */
export type Theme = "light" | "dark";

const variables: Record<Theme, Record<string, string>> = {
  dark: {
    "--color-background": "#111318",
    "--color-surface": "#1a1d24",
    "--color-surface-hover": "#232731",
    "--color-foreground": "#e7e9ee",
    "--color-foreground-secondary": "#9aa1ae",
    "--color-border": "#2d323d",
    "--color-border-subtle": "#232731",
    "--color-primary": "#6d8bff",
    "--color-sidebar": "#0c0e12",
    "--color-success": "#3fb97f",
    "--color-warning": "#e0a53a",
    "--color-error": "#ef5d5d",
    "--hf-shell-bg": "#111318",
    "--hf-shell-bg-strong": "#0c0e12",
    "--hf-shell-bg-soft": "#171a20",
    "--hf-shell-shadow-soft": "0 1px 3px rgba(0, 0, 0, 0.45)",
  },
  light: {
    "--color-background": "#f6f7f9",
    "--color-surface": "#ffffff",
    "--color-surface-hover": "#eef0f4",
    "--color-foreground": "#1b1e24",
    "--color-foreground-secondary": "#5b6270",
    "--color-border": "#d9dde4",
    "--color-border-subtle": "#e8ebf0",
    "--color-primary": "#3d5ee6",
    "--color-sidebar": "#eceef2",
    "--color-success": "#1f8a55",
    "--color-warning": "#a86a00",
    "--color-error": "#c93636",
    "--hf-shell-bg": "#f6f7f9",
    "--hf-shell-bg-strong": "#eceef2",
    "--hf-shell-bg-soft": "#fafbfc",
    "--hf-shell-shadow-soft": "0 1px 3px rgba(20, 24, 33, 0.12)",
  },
};

export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  root.dataset.theme = theme;
  for (const [name, value] of Object.entries(variables[theme])) root.style.setProperty(name, value);
  // The SDK's useHostTheme re-reads the variables on this event.
  window.dispatchEvent(new Event("theme:changed"));
}
