// Routes of the admin module (registered by app.ts).
import type { App } from '../http/types.ts';

export default async function adminRoutes(_app: App) {}
