/**
 * The StudioClient live scoring runs on: a private worker (app/worker/client.ts, same protocol
 * and model manager as the studio's), created on first use and shared by every chip and the
 * Text Visualness workspace. Private so that a job per pause in typing neither fills the Queue
 * window nor raises "finished" toasts. Tests install a fake with `setLiveClient`.
 */
import { createStudioClient } from '../worker/client.ts';
import type { LiveClient } from './liveScorer.ts';

let client: (LiveClient & { dispose?(): void }) | undefined;

export function liveClient(): LiveClient {
  client ??= createStudioClient();
  return client;
}

export function setLiveClient(c: LiveClient | undefined): void {
  client = c;
}
