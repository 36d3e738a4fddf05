// Routes of the calendar module (registered by app.ts).
import type { App } from '../http/types.ts';

export default async function calendarRoutes(_app: App) {}
