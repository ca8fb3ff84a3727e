import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/problem';

/** The app's one query cache: the pages read it, route loaders (App.tsx) start queries in it. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // Retry only what may pass on a second try (network, 5xx), never a 4xx.
      retry: (count, err) => count < 2 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
    },
  },
});
