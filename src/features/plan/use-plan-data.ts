import { useEffect, useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { decodeScenario, encodeScenario, sanitizeSaved, type Scenario } from '../../domain/scenario';
import { useAppStore } from '../../state/store';

let linkRead: { problem: string | null } | undefined;

/**
 * Reads `?scenario=` once per page load into the draft scenario (a bad link leaves a
 * message and the defaults), then keeps the link in step with the draft while the plan
 * view is open, so the address bar is always a shareable link to what is on screen.
 */
export function useScenarioLink(): string | null {
  const [problem] = useState(() => {
    if (linkRead) return linkRead.problem;
    const token = new URLSearchParams(window.location.search).get('scenario');
    linkRead = { problem: null };
    if (token !== null) {
      const decoded = decodeScenario(token);
      useAppStore.getState().setDraftScenario(decoded.scenario);
      if (!decoded.ok) linkRead.problem = decoded.problem;
    }
    return linkRead.problem;
  });
  const { draft, view } = useAppStore(useShallow((s) => ({ draft: s.draftScenario, view: s.view })));
  useEffect(() => {
    if (view !== 'plan') return;
    const params = new URLSearchParams(window.location.search);
    params.set('scenario', encodeScenario(draft));
    window.history.replaceState(null, '', `${window.location.pathname}?${params.toString()}${window.location.hash}`);
  }, [draft, view]);
  return problem;
}

/** A link that opens the plan view on this scenario. */
export function scenarioUrl(s: Scenario): string {
  const url = new URL(window.location.href);
  url.search = '';
  url.searchParams.set('view', 'plan');
  url.searchParams.set('scenario', encodeScenario(s));
  return url.toString();
}

/** Saved scenarios that still pass validation (local storage is not trusted either). */
export function useSavedScenarios(): { id: string; scenario: Scenario }[] {
  const saved = useAppStore((s) => s.savedScenarios);
  return useMemo(() => sanitizeSaved(saved), [saved]);
}
