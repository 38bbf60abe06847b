/**
 * Saving the wizard's draft: outside React's state updater (an updater must be pure and may run
 * twice), and not on every keystroke — typing into an answer saves once the typing pauses, so a
 * large paste is sent once instead of once per character. Anything else (a step, the platform, the
 * output folder) is saved at once, and whatever is pending is saved when the page is hidden.
 */
import { useCallback, useEffect, useLayoutEffect, useRef } from 'react';
import type { Draft } from '../shared/ipc';
import { api } from './api';

/** How long typing must pause before the answers are saved. */
export const ANSWERS_SAVE_DELAY_MS = 400;

/** 'none' when nothing changed, 'debounced' when only the answers did, 'now' otherwise. */
export function saveTiming(prev: Draft | null, next: Draft): 'none' | 'debounced' | 'now' {
  if (prev === next) return 'none';
  if (prev === null) return 'now';
  const keys = new Set([...Object.keys(prev), ...Object.keys(next)] as (keyof Draft)[]);
  let answers = false;
  for (const k of keys) {
    if (prev[k] === next[k]) continue;
    if (k !== 'answers') return 'now';
    answers = true;
  }
  return answers ? 'debounced' : 'none';
}

/**
 * Saves `draft` as it changes (see saveTiming). `onError` gets the message of a failed save.
 * `adopt(d)` marks a draft as already saved (the one just loaded, or one the server cleared).
 */
export function useDraftSaver(draft: Draft | null, onError: (message: string) => void): { adopt: (d: Draft) => void } {
  const saved = useRef<Draft | null>(null);
  const pending = useRef<Draft | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const report = useRef(onError);
  useEffect(() => {
    report.current = onError;
  }, [onError]);

  const flush = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = undefined;
    const d = pending.current;
    pending.current = null;
    if (!d) return;
    void api.invoke('draft:save', d).then((r) => {
      if (!r.ok) report.current(r.error.message);
    });
  }, []);

  // A layout effect runs in the same task as the render that shows the change, so a save that is
  // due now is sent before the page can be reloaded or closed on what it shows (a plain effect
  // runs after paint: a reload right after a check lost the kept report).
  useLayoutEffect(() => {
    if (!draft) return;
    const timing = saveTiming(saved.current, draft);
    saved.current = draft;
    if (timing === 'none') return;
    pending.current = draft;
    clearTimeout(timer.current);
    if (timing === 'now') flush();
    else timer.current = setTimeout(flush, ANSWERS_SAVE_DELAY_MS);
  }, [draft, flush]);

  useEffect(() => {
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [flush]);

  const adopt = useCallback((d: Draft) => {
    clearTimeout(timer.current);
    pending.current = null;
    saved.current = d;
  }, []);
  return { adopt };
}
