import { useEffect, useRef, useState, type ReactNode } from 'react';

type Overflow = 'none' | 'right' | 'left' | 'both';

/**
 * A horizontal scroll box for a wide table: keyboard-focusable (it scrolls), its first column
 * sticks, and while columns are hidden a visible cue says which way they are.
 */
export function ScrollBox(props: { label: string; children: ReactNode; className?: string; testId?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [overflow, setOverflow] = useState<Overflow>('none');
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => {
      const hiddenLeft = el.scrollLeft > 1;
      const hiddenRight = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
      setOverflow(hiddenLeft && hiddenRight ? 'both' : hiddenRight ? 'right' : hiddenLeft ? 'left' : 'none');
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    for (const child of el.children) observer.observe(child);
    el.addEventListener('scroll', measure, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener('scroll', measure);
    };
  }, []);
  return (
    <div className={`scroll-frame scroll-frame--${overflow}`} data-testid={props.testId}>
      {overflow !== 'none' ? (
        <div className="scroll-cue" data-scroll-cue={overflow} aria-hidden="true">
          {overflow === 'left' ? '← more columns' : overflow === 'both' ? '← more columns →' : 'more columns →'}
        </div>
      ) : null}
      <div ref={box} className={`scroll-box ${props.className ?? ''}`} data-scroll-box="" tabIndex={0} role="region" aria-label={props.label}>
        {props.children}
      </div>
    </div>
  );
}
