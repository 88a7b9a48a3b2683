import { useEffect, useState } from 'react';
import { useSession } from '../../hooks/use-session';
import { useAppStore } from '../../state/store';
import { getLoadMode, startLoad } from './load-controller';
import './load-data.css';

function hasFiles(event: DragEvent): boolean {
  return Boolean(event.dataTransfer?.types.includes('Files'));
}

/**
 * Lets a log be dropped anywhere in the app: shows an overlay while files are dragged over
 * the window, loads them with the Data view's replace/append choice, then opens that view. A drop
 * a view has handled itself (default prevented) is left to that view.
 */
export function DropZone() {
  const { session } = useSession();
  const setView = useAppStore((s) => s.setView);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    let depth = 0;
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = 0;
      setDragging(false);
      // A view that takes its own files (the Bill view's drop box) has handled this drop already.
      if (e.defaultPrevented) return;
      e.preventDefault();
      const files = [...(e.dataTransfer?.files ?? [])];
      if (!session || files.length === 0) return;
      setView('data');
      void startLoad(session, files, getLoadMode());
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [session, setView]);

  if (!dragging) return null;
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
      <div className="drop-overlay__box">{session ? 'Drop request logs to load them' : 'The engine is still starting…'}</div>
    </div>
  );
}
