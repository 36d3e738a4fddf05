// Routes of the notifications module (registered by app.ts).
import type { App } from '../http/types.ts';

export default async function notificationRoutes(_app: App) {}
