import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { prefetchSample } from '../hooks/use-bootstrap';
import { getSession } from '../hooks/use-session';
import { App } from './app';
import './app.css';
import './screens.css';

// Started before React renders, side by side: the engine (its chunk, worker and wasm) and the
// sample's download. The app shows an engine failure through the engine status.
getSession().catch(() => {});
prefetchSample();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
