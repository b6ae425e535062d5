/** The visitor's draft, kept in localStorage so a reload or a lost tab does not lose their work. */
const key = "code-tree.draft.v1";

export function loadDraft(): string | undefined {
  try {
    return localStorage.getItem(key) ?? undefined;
  } catch {
    return undefined; // storage disabled (private mode, blocked cookies)
  }
}

export function saveDraft(code: string): boolean {
  try {
    localStorage.setItem(key, code);
    return true;
  } catch {
    return false;
  }
}
