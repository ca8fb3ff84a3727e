import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { meQuery } from './auth';
import { queryClient } from './queryClient';
import './styles.css';

// The session check starts now, while the router fetches the first page's chunk: the page can
// render (and send its own requests) as soon as its chunk is there.
void queryClient.prefetchQuery(meQuery);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
}
