// Routes of the specialist module (registered by app.ts).
import type { App } from '../http/types.ts';

export default async function specialistRoutes(_app: App) {}
