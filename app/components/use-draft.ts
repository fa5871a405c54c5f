// Form state that follows what the server last said, without effects that set state (which
// render twice): React's "adjust state when a prop changes", done during render.
import { useState, useSyncExternalStore } from "react";

/** Calls onChange during render whenever `value` is a new value (compared by identity). */
export function useOnChange<T>(value: T, onChange: (value: T) => void): void {
  const [seen, setSeen] = useState(value);
  if (seen !== value) {
    setSeen(value);
    onChange(value);
  }
}

/** A form's draft: edited locally, restarted from `saved` whenever a save or reload brings new data. */
export function useDraft<T extends object>(saved: T): { draft: T; change: (patch: Partial<T>) => void; discard: () => void; dirty: boolean } {
  const [draft, setDraft] = useState(saved);
  useOnChange(saved, setDraft);
  const change = (patch: Partial<T>) => setDraft((current) => ({ ...current, ...patch }));
  return { draft, change, discard: () => setDraft(saved), dirty: JSON.stringify(draft) !== JSON.stringify(saved) };
}

/** Whether a media query matches; false on the server and in the first render that hydrates it. */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (notify) => {
      const list = window.matchMedia(query);
      list.addEventListener("change", notify);
      return () => list.removeEventListener("change", notify);
    },
    () => window.matchMedia(query).matches,
    () => false,
  );
}
