// Routes of the availability module (registered by app.ts).
import type { App } from '../http/types.ts';

export default async function availabilityRoutes(_app: App) {}
