import type { ReactNode } from 'react';

export function StatusBanner(props: { tone: 'info' | 'error' | 'warn'; children: ReactNode; testId?: string }) {
  return (
    <div className={`banner banner--${props.tone}`} role={props.tone === 'error' ? 'alert' : 'status'} data-testid={props.testId}>
      {props.children}
    </div>
  );
}
