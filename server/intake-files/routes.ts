// Documents for intake questions of type file. The visitor's browser uploads one file per
// question before booking (POST /api/uploads: the raw bytes, checked by content and against the
// question's types and size) and sends the answered id with the booking, which claims it. Only
// the booking's specialist and the site owner can list and download them: the visitor's manage
// token, like no credential at all, gets the same 404 as an unknown id.
import { Type } from 'typebox';
import { FILE_TYPES, MAX_FILE_BYTES, type FileType } from '../../shared/schemas.ts';
import { writeLimit } from '../http/security.ts';
import { findService } from '../availability/load.ts';
import { authorizeBooking } from '../bookings/access.ts';
import { HttpError, badRequest, notFound } from '../http/errors.ts';
import { errorResponses, type App } from '../http/types.ts';
import { cleanFileName, sniffType } from './sniff.ts';
import { filesOf, readFile, saveUpload } from './store.ts';

const Uuid = Type.String({ format: 'uuid' });

export const UploadedFile = Type.Object({
  id: Type.String({ description: 'Send it as the question\'s answer in POST /api/bookings' }),
  questionId: Type.String(),
  name: Type.String(),
  contentType: Type.String({ description: 'The type the content was recognised as' }),
  size: Type.Integer(),
});

export default async function intakeFileRoutes(app: App) {
  const limited = writeLimit(app.config.rateLimit.writesPerMinute);
  // The body is the file itself, whatever type the browser names (the content decides).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_FILE_BYTES }, (_request, body, done) => done(null, body));

  app.post('/api/uploads', {
    config: limited,
    bodyLimit: MAX_FILE_BYTES,
    schema: {
      tags: ['bookings'],
      summary: 'Upload a document for an intake question of type file (before booking)',
      description: 'The body is the file\'s bytes. Its type is read from its content (PDF, JPEG, PNG, WebP), never from its name or Content-Type, '
        + `and must be one the question accepts, at most its maxBytes (at most ${MAX_FILE_BYTES} bytes). The answer's id goes into the booking's answers; `
        + 'an upload no booking claims within an hour is deleted. Stored privately: only the booking\'s specialist and the site owner can read it.',
      querystring: Type.Object({
        service: Type.String({ minLength: 1, maxLength: 64, description: 'Service id or slug' }),
        question: Type.String({ pattern: '^[a-zA-Z0-9_-]{1,40}$', description: 'The file question\'s id' }),
        name: Type.Optional(Type.String({ maxLength: 255, description: 'The file\'s name as the visitor knows it' })),
      }),
      response: { 201: UploadedFile, ...errorResponses(400, 404, 413, 429) },
    },
  }, async (request, reply) => {
    const { service: serviceKey, question: questionId, name } = request.query;
    const service = await findService(app.db, serviceKey);
    if (!service) throw notFound('Service');
    const question = service.intake_questions.find((q) => q.id === questionId && q.type === 'file');
    if (!question) throw badRequest('invalid_question', `"${questionId}" is not a file question of this service.`, 'query.question');
    const data = Buffer.isBuffer(request.body) ? request.body : null;
    if (data === null || data.length === 0) throw badRequest('invalid_file', 'Send the file\'s bytes as the request body.', 'body');
    const limit = Math.min(question.maxBytes ?? MAX_FILE_BYTES, MAX_FILE_BYTES);
    if (data.length > limit) throw new HttpError(413, 'file_too_large', `"${question.label}" takes files up to ${Math.floor(limit / 1024)} KB.`, { field: 'body' });
    const accepted: readonly FileType[] = question.accept ?? FILE_TYPES;
    const type = sniffType(data);
    if (type === null || !accepted.includes(type)) {
      throw new HttpError(415, 'unsupported_file_type', `"${question.label}" takes ${accepted.map((t) => t.split('/')[1]!.toUpperCase()).join(', ')} files; this file is ${type ?? 'none of those'}.`, { field: 'body' });
    }
    const saved = await saveUpload(app.db, { serviceId: service.id, questionId, name: cleanFileName(name, type), contentType: type, data }, app.clock.now());
    return reply.status(201).header('cache-control', 'no-store').send(saved);
  });

  /** The booking if the caller is its specialist or the site owner; 404 otherwise (the visitor too). */
  const staffOnly = async (request: Parameters<typeof authorizeBooking>[0], bookingId: string) => {
    const access = await authorizeBooking(request, bookingId);
    if (access.actor === 'visitor') throw notFound('Booking');
    return access.booking;
  };

  app.get('/api/bookings/:id/files', {
    schema: {
      tags: ['bookings'],
      summary: 'The documents attached to a booking (its specialist and the site owner only)',
      params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
      response: { 200: Type.Array(UploadedFile), ...errorResponses(400, 404) },
    },
  }, async (request, reply) => {
    const booking = await staffOnly(request, request.params.id);
    return reply.header('cache-control', 'private, no-store').send((await filesOf(app.db, [booking.id])).get(booking.id) ?? []);
  });

  app.get('/api/bookings/:id/files/:fileId', {
    schema: {
      tags: ['bookings'],
      summary: 'Download one attached document (its specialist and the site owner only)',
      params: Type.Object({ id: Type.String({ maxLength: 64 }), fileId: Uuid }),
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errorResponses(400, 404) },
    },
  }, async (request, reply) => {
    const booking = await staffOnly(request, request.params.id);
    const file = await readFile(app.db, booking.id, request.params.fileId);
    if (!file) throw notFound('File');
    // Always a download, never rendered in our origin; the type is the recognised one.
    return reply.type(file.content_type).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
      .header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store').send(file.data);
  });
}
