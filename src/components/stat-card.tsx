import type { ReactNode } from 'react';

export function StatCard(props: { label: string; value: ReactNode; hint?: ReactNode; testId: string; tone?: 'default' | 'warn' | 'good' }) {
  return (
    <div className={`stat-card stat-card--${props.tone ?? 'default'}`}>
      <div className="stat-card__label">{props.label}</div>
      <div className="stat-card__value" data-testid={props.testId}>
        {props.value}
      </div>
      {props.hint ? <div className="stat-card__hint">{props.hint}</div> : null}
    </div>
  );
}
