// The console's client for the API: every call the console makes, typed from the server's own
// schemas (types only: nothing from shared/ or server/ ships). The session token lives here in
// memory (and in this tab's sessionStorage, see session.ts); a 401 means the session ended,
// which the console hears through `onUnauthorized` and answers by asking to sign in again.
import { Api, ApiError } from '../api.ts';
import type { ErrorBody } from '../../../shared/schemas.ts';
import type { EmailSignInBody, IssuedSession, OwnerAccount, SessionInfo, SessionSummary } from '../../../shared/auth.ts';
import type {
  AdminBookingQuery, AdminService, AdminSpecialist, AllowedOrigin, CreatedWebhook, Credential, DateOverride, DateOverrideBody,
  IssuedCredential, ServiceCreate, ServiceUpdate, SpecialistCreate, SpecialistSettings, SpecialistUpdate, VacationBody, Webhook, WebhookCreate,
  WebhookDelivery, WebhookUpdate, WeeklyHours, WeeklyInterval,
} from '../../../shared/admin.ts';
import type { BookingPage, BookingStatus, BookingView } from '../../../shared/bookings.ts';
import type { ConsultationHistoryItem, ConsultationNotes, PublicService, PublicSpecialist, SlotsResponse } from '../../../shared/schemas.ts';
import type { Connection } from '../../../server/calendar/schemas.ts';
import type { JoinInfo } from '../types.ts';
import type { AdminPayment, PaymentStatus } from '../../../shared/payments.ts';

export type { AdminPayment, PaymentStatus };
/** What erasing an address did (server/privacy/schemas.ts). */
export interface ErasureReport { bookings: number; cancelled: number; calendarEvents: number; recordingsDeleted: number; recordingsPending: number }
import type { RecordingState } from '../../../shared/schemas.ts';

/** An attached document as GET /api/bookings/:id/files lists it (server/intake-files/routes.ts). */
export interface UploadedFile { id: string; questionId: string; name: string; contentType: string; size: number }
import type { ReviewRecord } from '../../../shared/reviews.ts';
import type { RenderedMessage, TemplateLocale, TemplateOverride, TemplateOverview, TemplateTexts } from '../../../shared/templates.ts';

export type { RenderedMessage, TemplateLocale, TemplateOverride, TemplateOverview, TemplateTexts };

export type { BookingPage, BookingView, BookingStatus, SessionInfo, IssuedSession, SessionSummary, OwnerAccount };
export type { AdminService, AdminSpecialist, AllowedOrigin, CreatedWebhook, Credential, DateOverride, IssuedCredential, Webhook, WebhookDelivery, WeeklyHours, WeeklyInterval };
export type { ConsultationHistoryItem, ConsultationNotes, PublicService, PublicSpecialist, SlotsResponse, Connection };

export type Provider = 'google' | 'outlook';
export type Decision = 'approve' | 'decline' | 'complete' | 'no-show';

export interface CalendarStatus { providers: Record<Provider, boolean>; connections: Connection[] }
export interface AccountCalendar { id: string; name: string; primary: boolean; writable: boolean; busy: boolean; write: boolean }
export interface PushInfo {
  publicKey: string | null;
  subscriptions: { id: string; host: string; label: string; createdAt: string; lastSuccessAt: string | null }[];
}

export interface NotificationView {
  id: string; bookingId: string | null; kind: string; channel: 'email' | 'sms' | 'webhook' | 'calendar'; recipient: string;
  sendAt: string; status: 'pending' | 'sent' | 'failed' | 'cancelled'; attempts: number; lastError: string | null; sentAt: string | null;
}

/** Whose schedule a schedule call reads or writes: the signed-in specialist, or one the owner picked. */
export type ScheduleScope = { own: true } | { specialist: string };

const enc = encodeURIComponent;

function query(params: Record<string, string | number | string[] | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === '') continue;
    for (const one of Array.isArray(v) ? v : [v]) q.append(k, String(one));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

export class ConsoleApi extends Api {
  token: string;
  /** Called when the API answers 401 to a signed-in request: the session ended. */
  onUnauthorized: () => void;

  constructor(base: string, token = '') {
    super(base);
    this.token = token;
    this.onUnauthorized = () => {};
  }

  /** A call with the session token; a 401 ends the session in the console too. */
  async call<T>(path: string, o: { method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
    try {
      return await this.request<T>(path, { ...o, token: this.token });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401 && this.token) this.onUnauthorized();
      throw err;
    }
  }

  // ---- sign-in and sessions ----
  signInEmail(body: EmailSignInBody) { return this.request<{ sent: true; expiresInMin: number }>('/api/auth/sign-in/email', { method: 'POST', body }); }
  signInLink(token: string) { return this.request<IssuedSession>('/api/auth/sign-in/link', { method: 'POST', body: { token } }); }
  signInKey(key: string) { return this.request<IssuedSession>('/api/auth/sign-in/key', { method: 'POST', body: { key } }); }
  session(signal?: AbortSignal) { return this.call<SessionInfo>('/api/auth/session', { signal }); }
  signOut() { return this.call<null>('/api/auth/sign-out', { method: 'POST' }); }
  sessions(signal?: AbortSignal) { return this.call<{ sessions: SessionSummary[] }>('/api/auth/sessions', { signal }); }
  revokeSession(id: string) { return this.call<null>(`/api/auth/sessions/${enc(id)}`, { method: 'DELETE' }); }

  // ---- one booking (specialist or owner) ----
  bookingById(id: string, signal?: AbortSignal) { return this.call<BookingView>(`/api/bookings/${enc(id)}`, { signal }); }
  cancelBooking(id: string, reason?: string) { return this.call<BookingView>(`/api/bookings/${enc(id)}/cancel`, { method: 'POST', body: reason ? { reason } : {} }); }
  moveBooking(id: string, start: string) { return this.call<BookingView>(`/api/bookings/${enc(id)}/reschedule`, { method: 'POST', body: { start } }); }
  decide(id: string, decision: Decision, reason?: string) {
    return this.call<BookingView>(`/api/specialist/bookings/${enc(id)}/${decision}`, { method: 'POST', ...(decision === 'decline' ? { body: reason ? { reason } : {} } : {}) });
  }
  /** The site owner records that the specialist did not come (the call could not tell). */
  markSpecialistNoShow(id: string) { return this.call<BookingView>(`/api/admin/bookings/${enc(id)}/specialist-no-show`, { method: 'POST' }); }
  joinAsHost(id: string) { return this.call<JoinInfo>(`/api/bookings/${enc(id)}/join`, { method: 'POST', body: {} }); }
  record(id: string, action: 'start' | 'stop') { return this.call<RecordingState>(`/api/specialist/bookings/${enc(id)}/recording`, { method: 'POST', body: { action } }); }
  hostRecordingLink(id: string) { return this.call<{ url: string; expiresAt: string }>(`/api/bookings/${enc(id)}/recording`); }
  notes(id: string, signal?: AbortSignal) { return this.call<ConsultationNotes>(`/api/specialist/bookings/${enc(id)}/notes`, { signal }); }
  saveNotes(id: string, body: { notes?: string; summary?: string }) { return this.call<ConsultationNotes>(`/api/specialist/bookings/${enc(id)}/notes`, { method: 'PUT', body }); }
  sendSummary(id: string) { return this.call<ConsultationNotes>(`/api/specialist/bookings/${enc(id)}/summary/send`, { method: 'POST' }); }
  visitorHistory(email: string, signal?: AbortSignal) {
    return this.call<{ consultations: ConsultationHistoryItem[] }>(`/api/specialist/history${query({ visitorEmail: email })}`, { signal });
  }
  bookingNotifications(id: string, signal?: AbortSignal) { return this.call<{ notifications: NotificationView[] }>(`/api/admin/bookings/${enc(id)}/notifications`, { signal }); }

  // ---- the specialist's own ----
  me(signal?: AbortSignal) { return this.call<AdminSpecialist>('/api/specialist/me', { signal }); }
  /** The specialist's own settings (email language, reminder times). */
  updateMe(body: SpecialistSettings) { return this.call<AdminSpecialist>('/api/specialist/me', { method: 'PATCH', body }); }
  agenda(from: string, until: string, status?: BookingStatus, signal?: AbortSignal) {
    return this.call<{ bookings: BookingView[] }>(`/api/specialist/bookings${query({ from, until, status })}`, { signal });
  }
  agendaVersion(signal?: AbortSignal) { return this.call<{ version: string }>('/api/specialist/bookings/version', { signal }); }

  // ---- schedules (own, or any specialist's for the owner) ----
  private schedulePath(scope: ScheduleScope) { return 'own' in scope ? '/api/specialist' : `/api/admin/specialists/${enc(scope.specialist)}`; }
  hours(scope: ScheduleScope, signal?: AbortSignal) { return this.call<WeeklyHours>(`${this.schedulePath(scope)}/hours`, { signal }); }
  saveHours(scope: ScheduleScope, hours: WeeklyInterval[]) { return this.call<WeeklyHours>(`${this.schedulePath(scope)}/hours`, { method: 'PUT', body: { hours } }); }
  overrides(scope: ScheduleScope, from: string, to: string, signal?: AbortSignal) {
    return this.call<{ overrides: DateOverride[] }>(`${this.schedulePath(scope)}/overrides${query({ from, to })}`, { signal });
  }
  setOverride(scope: ScheduleScope, body: DateOverrideBody) { return this.call<DateOverride>(`${this.schedulePath(scope)}/overrides`, { method: 'POST', body }); }
  blockDates(scope: ScheduleScope, body: VacationBody) { return this.call<{ overrides: DateOverride[] }>(`${this.schedulePath(scope)}/overrides/vacation`, { method: 'POST', body }); }
  removeOverride(scope: ScheduleScope, id: string) { return this.call<null>(`${this.schedulePath(scope)}/overrides/${enc(id)}`, { method: 'DELETE' }); }

  // ---- calendars ----
  calendarStatus(signal?: AbortSignal) { return this.call<CalendarStatus>('/api/specialist/calendar', { signal }); }
  connectUrl(provider: Provider, returnTo: string) { return this.call<{ url: string }>(`/api/specialist/calendar/${provider}/connect${query({ returnTo })}`); }
  accountCalendars(provider: Provider, signal?: AbortSignal) { return this.call<{ calendars: AccountCalendar[] }>(`/api/specialist/calendar/${provider}/calendars`, { signal }); }
  chooseCalendars(provider: Provider, body: { busyCalendarIds: string[]; writeCalendarId: string }) {
    return this.call<Connection>(`/api/specialist/calendar/${provider}`, { method: 'PUT', body });
  }
  refreshCalendars() { return this.call<CalendarStatus>('/api/specialist/calendar/refresh', { method: 'POST' }); }
  disconnectCalendar(provider: Provider) { return this.call<null>(`/api/specialist/calendar/${provider}`, { method: 'DELETE' }); }

  // ---- the practice (site owner) ----
  practiceBookings(q: AdminBookingQuery, signal?: AbortSignal) { return this.call<BookingPage>(`/api/admin/bookings${query(q as Record<string, string>)}`, { signal }); }
  /** The CSV export as a file (fetched with the session token: a plain link could not carry it). */
  practiceBookingsCsv(q: Omit<AdminBookingQuery, 'limit' | 'cursor'>): Promise<Blob> {
    return this.download(`/api/admin/bookings.csv${query(q as Record<string, string>)}`, 'text/csv');
  }
  /** Documents the visitor attached (the booking's specialist and the site owner only). */
  bookingFiles(id: string, signal?: AbortSignal) { return this.call<UploadedFile[]>(`/api/bookings/${enc(id)}/files`, { signal }); }
  bookingFile(id: string, fileId: string): Promise<Blob> { return this.download(`/api/bookings/${enc(id)}/files/${enc(fileId)}`, '*/*'); }

  /** A file answer, fetched with the session token (a plain link could not carry it). */
  private async download(path: string, accept: string): Promise<Blob> {
    const res = await fetch(`${this.base}${path}`, {
      headers: { authorization: `Bearer ${this.token}`, accept }, credentials: 'omit',
    });
    if (!res.ok) {
      const body = await res.json().catch(() => ({ error: `http_${res.status}`, message: res.statusText })) as ErrorBody;
      if (res.status === 401) this.onUnauthorized();
      throw new ApiError(res.status, body);
    }
    return res.blob();
  }
  specialists(signal?: AbortSignal) { return this.call<{ specialists: AdminSpecialist[] }>('/api/admin/specialists', { signal }); }
  createSpecialist(body: SpecialistCreate) { return this.call<AdminSpecialist>('/api/admin/specialists', { method: 'POST', body }); }
  updateSpecialist(id: string, body: SpecialistUpdate) { return this.call<AdminSpecialist>(`/api/admin/specialists/${enc(id)}`, { method: 'PATCH', body }); }
  archiveSpecialist(id: string, archived: boolean) { return this.call<AdminSpecialist>(`/api/admin/specialists/${enc(id)}/${archived ? 'archive' : 'restore'}`, { method: 'POST' }); }
  inviteSpecialist(id: string, locale?: string) { return this.call<{ sent: true; email: string }>(`/api/admin/specialists/${enc(id)}/invite`, { method: 'POST', body: locale ? { locale } : {} }); }
  credentials(id: string, signal?: AbortSignal) { return this.call<{ credentials: Credential[] }>(`/api/admin/specialists/${enc(id)}/credentials`, { signal }); }
  issueCredential(id: string, label: string) { return this.call<IssuedCredential>(`/api/admin/specialists/${enc(id)}/credentials`, { method: 'POST', body: { label } }); }
  revokeCredential(id: string, credentialId: string) { return this.call<Credential>(`/api/admin/specialists/${enc(id)}/credentials/${enc(credentialId)}`, { method: 'DELETE' }); }
  signOutSpecialist(id: string) { return this.call<{ revoked: number }>(`/api/admin/specialists/${enc(id)}/sessions`, { method: 'DELETE' }); }
  adminServices(signal?: AbortSignal) { return this.call<{ services: AdminService[] }>('/api/admin/services', { signal }); }
  createService(body: ServiceCreate) { return this.call<AdminService>('/api/admin/services', { method: 'POST', body }); }
  updateService(id: string, body: ServiceUpdate) { return this.call<AdminService>(`/api/admin/services/${enc(id)}`, { method: 'PATCH', body }); }
  archiveService(id: string, archived: boolean) { return this.call<AdminService>(`/api/admin/services/${enc(id)}/${archived ? 'archive' : 'restore'}`, { method: 'POST' }); }
  offerService(id: string, specialistIds: string[]) { return this.call<AdminService>(`/api/admin/services/${enc(id)}/specialists`, { method: 'PUT', body: { specialistIds } }); }
  origins(signal?: AbortSignal) { return this.call<{ origins: AllowedOrigin[] }>('/api/admin/origins', { signal }); }
  addOrigin(origin: string) { return this.call<AllowedOrigin>('/api/admin/origins', { method: 'POST', body: { origin } }); }
  removeOrigin(origin: string) { return this.call<null>(`/api/admin/origins${query({ origin })}`, { method: 'DELETE' }); }
  webhooks(signal?: AbortSignal) { return this.call<{ webhooks: Webhook[] }>('/api/admin/webhooks', { signal }); }
  createWebhook(body: WebhookCreate) { return this.call<CreatedWebhook>('/api/admin/webhooks', { method: 'POST', body }); }
  updateWebhook(id: string, body: WebhookUpdate) { return this.call<Webhook>(`/api/admin/webhooks/${enc(id)}`, { method: 'PATCH', body }); }
  deleteWebhook(id: string) { return this.call<null>(`/api/admin/webhooks/${enc(id)}`, { method: 'DELETE' }); }
  testWebhook(id: string) { return this.call<{ deliveryId: string }>(`/api/admin/webhooks/${enc(id)}/test`, { method: 'POST' }); }
  webhookDeliveries(id: string, signal?: AbortSignal) { return this.call<{ deliveries: WebhookDelivery[] }>(`/api/admin/webhooks/${enc(id)}/deliveries`, { signal }); }
  failedNotifications(signal?: AbortSignal) { return this.call<{ notifications: NotificationView[] }>('/api/admin/notifications?status=failed&limit=100', { signal }); }
  retryNotification(id: string) { return this.call<NotificationView>(`/api/admin/notifications/${enc(id)}/retry`, { method: 'POST' }); }
  push(signal?: AbortSignal) { return this.call<PushInfo>('/api/specialist/push', { signal }); }
  addPushSubscription(body: { endpoint: string; keys: { p256dh: string; auth: string }; label?: string }) { return this.call<{ id: string }>('/api/specialist/push/subscriptions', { method: 'POST', body }); }
  removePushSubscription(id: string) { return this.call<null>(`/api/specialist/push/subscriptions/${enc(id)}`, { method: 'DELETE' }); }
  /** The owner sees every review, a specialist their own. */
  reviews(role: 'owner' | 'specialist', signal?: AbortSignal) {
    return this.call<{ reviews: ReviewRecord[] }>(role === 'owner' ? '/api/admin/reviews' : '/api/specialist/reviews', { signal });
  }
  publishReview(id: string, published: boolean) { return this.call<null>(`/api/admin/reviews/${enc(id)}`, { method: 'PATCH', body: { published } }); }
  // ---- message texts (site owner) ----
  templates(signal?: AbortSignal) { return this.call<TemplateOverview>('/api/admin/templates', { signal }); }
  saveTemplate(kind: string, locale: TemplateLocale, body: TemplateTexts) { return this.call<TemplateOverride>(`/api/admin/templates/${enc(kind)}/${locale}`, { method: 'PUT', body }); }
  resetTemplate(kind: string, locale: TemplateLocale) { return this.call<null>(`/api/admin/templates/${enc(kind)}/${locale}`, { method: 'DELETE' }); }
  /** The message with sample data: these texts (null: the built-in), or with none given the saved ones. */
  previewTemplate(kind: string, locale: TemplateLocale, body: TemplateTexts | null, signal?: AbortSignal) {
    return this.call<RenderedMessage>(`/api/admin/templates/${enc(kind)}/${locale}/preview`, { method: 'POST', body, signal });
  }
  owners(signal?: AbortSignal) { return this.call<{ owners: OwnerAccount[] }>('/api/admin/owners', { signal }); }
  addOwner(body: { email: string; name?: string }) { return this.call<OwnerAccount>('/api/admin/owners', { method: 'POST', body }); }
  archiveOwner(id: string) { return this.call<OwnerAccount>(`/api/admin/owners/${enc(id)}/archive`, { method: 'POST' }); }
  payments(q: { status?: PaymentStatus; cursor?: string; limit?: number }, signal?: AbortSignal) {
    return this.call<{ payments: AdminPayment[]; nextCursor: string | null }>(`/api/admin/payments${query(q)}`, { signal });
  }
  /** Everything stored about an address (GDPR access), as the server's JSON document. */
  exportVisitor(email: string) { return this.call<Record<string, unknown>>(`/api/admin/visitors/export${query({ email })}`); }
  eraseVisitor(email: string) { return this.call<ErasureReport>('/api/admin/visitors/erase', { method: 'POST', body: { email } }); }

  // ---- public catalogue (slot previews, question labels) ----
  publicServices(specialist?: string, signal?: AbortSignal) { return this.services(specialist, signal); }
  previewSlots(specialist: string, service: string, from: string, to: string, timezone: string, signal?: AbortSignal): Promise<SlotsResponse> {
    return this.slots(specialist, service, from, to, timezone, signal);
  }
}
