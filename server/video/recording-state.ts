// A booking's recording as callers see it (pure, a leaf: the booking view uses it too).
import type { Booking } from '../db/schema.ts';
import type { RecordingState } from '../../shared/schemas.ts';

export type { RecordingState };

export const recordingState = (b: Pick<Booking, 'service_terms' | 'recording_consent' | 'recording_status' | 'recording_id'>): RecordingState => ({
  offered: b.service_terms.recordingEnabled === true,
  consent: b.recording_consent,
  status: b.recording_id !== null ? 'ready' : b.recording_status ?? 'none',
});
