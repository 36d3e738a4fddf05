// Recording a consultation: only where the booking's service records calls and the visitor said
// yes (stored with the time of the answer), started and stopped by the specialist while the call
// runs, finished by the provider's signed webhook (Daily recording.ready-to-download, LiveKit
// egress_ended), which stores the recording. Withdrawing consent stops a running recording.
import type { FastifyInstance } from 'fastify';
import type { Booking } from '../db/schema.ts';
import type { Db } from '../db/pool.ts';
import { HttpError } from '../http/errors.ts';
import { requireVideoProvider } from './select.ts';
import { recordingState, type RecordingState } from './recording-state.ts';

const reread = (db: Db, id: string) => db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

/** The visitor's answer; a "no" while recording stops the recording first. */
export async function setConsent(app: FastifyInstance, booking: Booking, consent: boolean): Promise<RecordingState> {
  if (booking.service_terms.recordingEnabled !== true) throw new HttpError(409, 'recording_not_offered', 'This consultation is not recorded.');
  if (!consent && booking.recording_status === 'recording') await stop(app, booking);
  const now = new Date(app.clock.now());
  await app.db.updateTable('bookings').set({ recording_consent: consent, recording_consent_at: now, updated_at: now }).where('id', '=', booking.id).execute();
  return recordingState(await reread(app.db, booking.id));
}

/** The specialist starts the recording: offered, agreed to, and the call running. */
export async function startRecording(app: FastifyInstance, booking: Booking): Promise<RecordingState> {
  if (booking.service_terms.recordingEnabled !== true) throw new HttpError(409, 'recording_not_offered', 'This service does not record its consultations.');
  if (booking.recording_consent !== true) throw new HttpError(409, 'no_consent', 'The visitor has not agreed to a recording.');
  if (booking.status !== 'in_progress' || booking.video_room_name === null) throw new HttpError(409, 'not_in_call', 'Recording starts once the call is running.');
  if (booking.recording_status === 'recording') return recordingState(booking);
  const provider = await requireVideoProvider(app.config);
  const session = await provider.startRecording(booking.video_room_name);
  const now = new Date(app.clock.now());
  // A new recording replaces an earlier one of this booking only once it is ready (webhook).
  await app.db.updateTable('bookings').set({ recording_status: 'recording', recording_session: session, updated_at: now }).where('id', '=', booking.id).execute();
  return recordingState(await reread(app.db, booking.id));
}

async function stop(app: FastifyInstance, booking: Booking): Promise<void> {
  if (booking.recording_status !== 'recording' || booking.recording_session === null || booking.video_room_name === null) return;
  const provider = await requireVideoProvider(app.config);
  await provider.stopRecording(booking.video_room_name, booking.recording_session);
  await app.db.updateTable('bookings').set({ recording_status: 'processing', updated_at: new Date(app.clock.now()) })
    .where('id', '=', booking.id).where('recording_status', '=', 'recording').execute();
}

export async function stopRecording(app: FastifyInstance, booking: Booking): Promise<RecordingState> {
  await stop(app, booking);
  return recordingState(await reread(app.db, booking.id));
}

/** The provider's webhook: the file is ready. Replaces an earlier recording of the booking (deleted there). */
export async function recordRecording(app: FastifyInstance, booking: Booking, recordingId: string, now: Date): Promise<void> {
  const previous = booking.recording_id;
  await app.db.updateTable('bookings')
    .set({ recording_id: recordingId, recording_status: 'ready', recording_session: null, updated_at: now })
    .where('id', '=', booking.id).execute();
  if (previous !== null && previous !== recordingId) {
    const provider = await requireVideoProvider(app.config);
    await provider.deleteRecording(previous).catch((err: unknown) => app.log.warn({ err: String(err), bookingId: booking.id }, 'deleting a replaced recording failed'));
  }
}
