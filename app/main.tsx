/**
 * Entry: create the worker-backed client (with broken fixture models when the URL has
 * ?fixtures), expose the e2e test hooks, connect the stores, render the studio.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { connectClient } from './state/studioStore.ts';
import { installTestHooks } from './testing/hooks.ts';
import { createStudioClient } from './worker/client.ts';
import './styles/theme.css';
import './styles/shell.css';
import './styles/panels.css';

const client = createStudioClient({ fixtures: new URLSearchParams(location.search).has('fixtures') });
installTestHooks(client);
const disconnect = connectClient(client);
// Only on a real unload: a page kept in the back/forward cache must come back with its worker.
window.addEventListener('pagehide', (e) => {
  if (e.persisted) return;
  disconnect();
  client.dispose();
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
