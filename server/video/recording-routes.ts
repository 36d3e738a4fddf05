// Routes for recordings (registered by routes.ts): the visitor's consent, the specialist's start
// and stop, the participants' short-lived link, and LiveKit recording files behind signed links.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Type } from 'typebox';
import { BookingIdParams } from '../../shared/bookings.ts';
import { RecordingLink, RecordingState } from '../../shared/schemas.ts';
import { authorizeBooking, findBooking } from '../bookings/access.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { writeLimit } from '../http/security.ts';
import { errorResponses, type App } from '../http/types.ts';
import { setConsent, startRecording, stopRecording } from './recording.ts';
import { recordingPath, signedRecordingLink, verifyRecordingLink } from './recording-files.ts';
import { requireVideoProvider } from './select.ts';

const MEDIA_TYPES: Record<string, string> = { '.mp4': 'video/mp4', '.webm': 'video/webm', '.ogg': 'audio/ogg', '.m4a': 'audio/mp4' };

export default async function recordingRoutes(app: App) {
  app.put('/api/bookings/:id/recording-consent', {
    config: writeLimit(app.config.rateLimit.writesPerMinute),
    schema: {
      tags: ['video'],
      summary: 'The visitor agrees to (or declines) the call being recorded',
      description: 'Only for services that record. Declining while a recording runs stops it. 409 `recording_not_offered` otherwise.',
      security: [{ manageToken: [] }],
      params: BookingIdParams,
      body: Type.Object({ consent: Type.Boolean() }, { additionalProperties: false }),
      response: { 200: RecordingState, ...errorResponses(400, 404, 409, 429, 502, 503) },
    },
  }, async (request) => {
    const { booking, actor } = await authorizeBooking(request, request.params.id);
    if (actor !== 'visitor') throw notFound('Booking'); // the visitor's own word only
    return setConsent(app, booking, request.body.consent);
  });

  app.post('/api/specialist/bookings/:id/recording', {
    config: writeLimit(app.config.rateLimit.writesPerMinute),
    schema: {
      tags: ['video'],
      summary: 'The specialist starts or stops recording the running call',
      description: '409 `recording_not_offered` (the service does not record), `no_consent` (the visitor has not agreed), `not_in_call` (nobody is in the room yet). The provider\'s webhook stores the file.',
      security: [{ specialist: [] }],
      params: BookingIdParams,
      body: Type.Object({ action: Type.Union([Type.Literal('start'), Type.Literal('stop')]) }, { additionalProperties: false }),
      response: { 200: RecordingState, ...errorResponses(400, 404, 409, 429, 502, 503) },
    },
  }, async (request) => {
    const { booking, actor } = await authorizeBooking(request, request.params.id);
    if (actor !== 'specialist') throw notFound('Booking');
    return request.body.action === 'start' ? startRecording(app, booking) : stopRecording(app, booking);
  });

  app.get('/api/bookings/:id/recording', {
    config: writeLimit(app.config.rateLimit.writesPerMinute),
    schema: {
      tags: ['video'],
      summary: 'A short-lived download link for the call\'s recording (participants only)',
      description: 'Daily: the provider\'s access link. LiveKit: a link to this server, signed and valid for 15 minutes.',
      security: [{ manageToken: [] }, { specialist: [] }],
      params: BookingIdParams,
      response: { 200: RecordingLink, ...errorResponses(400, 404, 429, 502, 503) },
    },
  }, async (request) => {
    const { booking, actor } = await authorizeBooking(request, request.params.id);
    if (actor === 'admin') throw notFound('Recording'); // participants only
    if (booking.recording_id === null) throw notFound('Recording');
    const provider = await requireVideoProvider(app.config);
    const link = provider.kind === 'livekit'
      ? signedRecordingLink(app.config.secretKey, app.config.publicUrl, booking.id, booking.recording_id, app.clock.now())
      : await provider.recordingLink(booking.recording_id);
    if (link === null) throw notFound('Recording');
    return { url: link.url, expiresAt: new Date(link.expiresAt * 1000).toISOString() };
  });

  app.get('/api/recordings/:id', {
    schema: {
      tags: ['video'],
      summary: 'A LiveKit recording file, through the signed link GET /api/bookings/:id/recording gives',
      params: BookingIdParams,
      querystring: Type.Object({ expires: Type.Integer({ minimum: 0, maximum: 1e11 }), signature: Type.String({ minLength: 1, maxLength: 100 }) }),
      response: { 200: Type.Unknown({ description: 'The video file' }), ...errorResponses(400, 403, 404) },
    },
  }, async (request, reply) => {
    const dir = app.config.livekit?.recordingsDir;
    const booking = dir ? await findBooking(app.db, request.params.id) : undefined;
    const recordingId = booking?.recording_id ?? null;
    // Whatever is wrong (no such booking, another or an erased recording, tampered or expired), the
    // same answer: the link does not open anything.
    if (!dir || !booking || recordingId === null
      || !verifyRecordingLink(app.config.secretKey, booking.id, recordingId, request.query.expires, request.query.signature, app.clock.now())) {
      throw new HttpError(403, 'invalid_link', 'This recording link is invalid or has expired; ask for a new one.');
    }
    const file = recordingPath(dir, recordingId);
    const info = file ? await stat(file).catch(() => null) : null;
    if (file === null || info === null || !info.isFile()) throw notFound('Recording');
    const ext = file.slice(file.lastIndexOf('.')).toLowerCase();
    return reply.type(MEDIA_TYPES[ext] ?? 'application/octet-stream').header('content-length', info.size)
      .header('cache-control', 'private, no-store').header('content-disposition', 'inline')
      .send(createReadStream(file));
  });
}

