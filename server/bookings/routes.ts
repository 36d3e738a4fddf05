// Routes of the bookings module (registered by app.ts).
import type { App } from '../http/types.ts';

export default async function bookingRoutes(_app: App) {}
