// Routes of the video module (registered by app.ts).
import type { App } from '../http/types.ts';

export default async function videoRoutes(_app: App) {}
