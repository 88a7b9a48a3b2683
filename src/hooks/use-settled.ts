import { useState } from 'react';
import type { ViewStatus } from '../components/view-frame';

/**
 * The figures a view draws: the latest ones its queries all answered for. While new ones load, the
 * same object is returned (so a memoised view is not drawn again for the loading state, nor once per
 * query as each answers); the first figures are taken as soon as there are any.
 */
export function useSettled<T extends Record<string, unknown>>(status: ViewStatus, figures: T | undefined): T | undefined {
  const [shown, setShown] = useState<T>();
  // Set while rendering: React renders again at once, before anything is drawn.
  if (figures && (status === 'ready' || !shown) && (!shown || Object.keys(figures).some((k) => figures[k] !== shown[k]))) setShown(figures);
  return figures && (shown ?? figures);
}
