import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { prefetchSample } from '../hooks/use-bootstrap';
import { prefetchFirstFigures } from '../hooks/use-first-figures';
import { getSession } from '../hooks/use-session';
import { App } from './app';
import './app.css';
import './screens.css';

// Started before React renders, side by side: the engine (its chunk, worker and wasm), the
// sample's download and its first figures, drawn while the engine starts. The app shows an engine
// failure through the engine status.
getSession().catch(() => {});
prefetchSample();
prefetchFirstFigures();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
