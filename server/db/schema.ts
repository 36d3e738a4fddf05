// Kysely table types, one interface per table (see migrations/). Timestamps arrive as Date,
// `date` columns as 'YYYY-MM-DD' strings and `time` columns as 'HH:MM:SS' strings (see pool.ts).
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type BookingStatus = 'awaiting_payment' | 'pending' | 'confirmed' | 'in_progress' | 'completed' | 'cancelled' | 'no_show' | 'expired';
/** Statuses whose booking holds no time: the exclusion constraint's WHERE (migration 1500). */
export const INACTIVE_STATUSES = ['cancelled', 'expired'] as const satisfies readonly BookingStatus[];
export type ServicePayment = 'none' | 'prepay';
export type CancellationPolicy = 'none' | 'flexible' | 'moderate' | 'strict';
export type Actor = 'visitor' | 'specialist' | 'admin';
/** Who cancelled: a person, or the system (a pending request that expired unanswered). */
export type CancelledBy = Actor | 'system';

export type IntakeQuestionType = 'text' | 'textarea' | 'select' | 'email' | 'phone' | 'checkbox' | 'file';
export interface IntakeQuestion {
  id: string;
  label: string;
  type: IntakeQuestionType;
  required: boolean;
  options?: string[];
  /** file: the accepted types (content-checked) and the largest size (migration 2000). */
  accept?: ('application/pdf' | 'image/jpeg' | 'image/png' | 'image/webp')[];
  maxBytes?: number;
}

/** The terms a booking was made under; the service may change later, the booking keeps these. */
export interface ServiceTerms {
  name: string;
  durationMin: number;
  priceCents: number | null;
  currency: string | null;
  cancellationPolicy: CancellationPolicy;
  bufferBeforeMin: number;
  bufferAfterMin: number;
  videoEnabled: boolean;
  /** The call may be recorded, with the visitor's consent (absent on bookings made before issue 16: no). */
  recordingEnabled?: boolean;
}

export interface SpecialistsTable {
  id: Generated<string>;
  slug: string;
  name: string;
  email: string;
  timezone: string;
  bio: Generated<string>;
  /** One line under the name, e.g. "Clinical psychologist" (migration 1400). */
  specialty: Generated<string>;
  /** An https image for the specialist picker (migration 2000). */
  photo_url: ColumnType<string | null, string | null | undefined, string | null>;
  /** The language of the specialist's emails: en, de or ru (migration 1700). */
  locale: Generated<string>;
  /** Minutes before a start at which this specialist is reminded; null: HOST_REMINDER_MINUTES (migration 1704). */
  host_reminder_minutes: ColumnType<number[] | null, number[] | null | undefined, number[] | null>;
  archived_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** The owner's wording of one message kind in one locale (migration 1703). */
export interface MessageTemplatesTable {
  kind: string;
  locale: string;
  subject: string | null;
  body: string | null;
  updated_at: UpdatedAt;
}

/** A visitor's review of one session (migration 1701). */
export interface ReviewsTable {
  id: Generated<string>;
  booking_id: string;
  specialist_id: string;
  rating: number;
  comment: Generated<string>;
  published: Generated<boolean>;
  created_at: CreatedAt;
}
export type Review = Selectable<ReviewsTable>;

/** A specialist's browser subscribed to Web Push (migration 1702). */
export interface PushSubscriptionsTable {
  id: Generated<string>;
  specialist_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  label: Generated<string>;
  created_at: CreatedAt;
  last_success_at: Timestamp | null;
}

export interface SpecialistCredentialsTable {
  id: Generated<string>;
  specialist_id: string;
  token_hash: string;
  label: Generated<string>;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface ServicesTable {
  id: Generated<string>;
  slug: string;
  name: string;
  description: Generated<string>;
  duration_min: number;
  price_cents: number | null;
  currency: string | null;
  buffer_before_min: Generated<number>;
  buffer_after_min: Generated<number>;
  slot_step_min: number | null;
  min_notice_min: Generated<number>;
  horizon_days: Generated<number>;
  max_per_day: number | null;
  requires_approval: Generated<boolean>;
  cancellation_policy: Generated<CancellationPolicy>;
  intake_questions: ColumnType<IntakeQuestion[], string | undefined, string>;
  video_enabled: Generated<boolean>;
  recording_enabled: Generated<boolean>;
  /** none: booked without paying online; prepay: a Stripe Checkout payment confirms it (migration 1500). */
  payment: Generated<ServicePayment>;
  archived_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface SpecialistServicesTable {
  specialist_id: string;
  service_id: string;
}

export interface WeeklyHoursTable {
  id: Generated<string>;
  specialist_id: string;
  weekday: number;
  start_time: string;
  end_time: string;
}

export interface DateOverridesTable {
  id: Generated<string>;
  specialist_id: string;
  date: string;
  intervals: ColumnType<{ start: string; end: string }[], string | undefined, string>;
  reason: Generated<string>;
}

export interface BookingsTable {
  id: Generated<string>;
  specialist_id: string;
  service_id: string;
  status: BookingStatus;
  starts_at: Timestamp;
  ends_at: Timestamp;
  blocked_from: Timestamp;
  blocked_until: Timestamp;
  visitor_name: string;
  visitor_email: string;
  visitor_phone: string | null;
  visitor_timezone: string;
  visitor_locale: Generated<string>;
  answers: ColumnType<Record<string, unknown>, string | undefined, string>;
  service_terms: Json<ServiceTerms>;
  manage_token_hash: string;
  idempotency_key: string | null;
  request_fingerprint: string | null;
  video_room_name: string | null;
  video_room_url: string | null;
  recording_id: string | null;
  recording_url: string | null;
  notes: Generated<string>;
  summary: Generated<string>;
  google_event_id: string | null;
  outlook_event_id: string | null;
  calendar_sequence: Generated<number>;
  cancel_reason: string | null;
  cancelled_by: CancelledBy | null;
  cancelled_at: Timestamp | null;
  refund_percent: number | null;
  refund_cents: number | null;
  visitor_joined_at: Timestamp | null;
  specialist_joined_at: Timestamp | null;
  started_at: Timestamp | null;
  ended_at: Timestamp | null;
  /** Until when an awaiting_payment booking holds its time (migration 1500). */
  hold_expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Keyed HMAC of the normalised email / of the client address (migration 1800): what the booking limits count. */
  email_key: ColumnType<string | null, string | null | undefined, string | null>;
  client_key: ColumnType<string | null, string | null | undefined, string | null>;
  /** When a pending request is cancelled unanswered (migration 1800). */
  pending_expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Personal data removed (erasure or retention, migration 1800). */
  anonymised_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The visitor's answer to recording (null: not asked) and the recording's life (migration 1601_16). */
  recording_consent: ColumnType<boolean | null, boolean | null | undefined, boolean | null>;
  recording_consent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  recording_status: ColumnType<'recording' | 'processing' | 'ready' | null, 'recording' | 'processing' | 'ready' | null | undefined, 'recording' | 'processing' | 'ready' | null>;
  recording_session: ColumnType<string | null, string | null | undefined, string | null>;
  /** Who did not come, while the status is no_show (migration 1602_16; null read as the visitor). */
  no_show_party: ColumnType<NoShowParty | null, NoShowParty | null | undefined, NoShowParty | null>;
  /** Meet/Teams attendance after the meeting (migration 1603_16): where asking the provider stands. */
  attendance_check: ColumnType<AttendanceCheck | null, AttendanceCheck | null | undefined, AttendanceCheck | null>;
  attendance_attempts: Generated<number>;
  attendance_checked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When the outcome pass looked at this call once it was over (server/video/outcomes.ts). */
  outcome_pass_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When the summary was last emailed to the visitor (migration 1400). */
  summary_sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The owner's page the booking was made on, origin allowed (migration 2000): where visitor links return. */
  return_url: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface BookingMovesTable {
  id: Generated<string>;
  booking_id: string;
  from_starts_at: Timestamp;
  from_ends_at: Timestamp;
  to_starts_at: Timestamp;
  to_ends_at: Timestamp;
  moved_by: Actor;
  moved_at: CreatedAt;
}

export type NotificationStatus = 'pending' | 'sent' | 'failed' | 'cancelled';
export type NotificationChannel = 'email' | 'sms' | 'webhook' | 'calendar' | 'payment' | 'push';

export interface NotificationsTable {
  id: Generated<string>;
  booking_id: string | null;
  kind: string;
  channel: NotificationChannel;
  recipient: string;
  payload: ColumnType<Record<string, unknown>, string | undefined, string>;
  send_at: Timestamp;
  status: Generated<NotificationStatus>;
  attempts: Generated<number>;
  last_error: string | null;
  sent_at: Timestamp | null;
  /** When the relay put the row on the BullMQ queue (migration 0300). */
  enqueued_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Earliest retry of a failed attempt by the Redis-less scheduler (migration 0300). */
  next_attempt_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The sender's claim on a pending row, and until when it holds (migration 1300_13). */
  claim_token: ColumnType<string | null, string | null | undefined, string | null>;
  claimed_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface AllowedOriginsTable {
  origin: string;
  created_at: CreatedAt;
}

export interface WebhookEndpointsTable {
  id: Generated<string>;
  url: string;
  secret_encrypted: string;
  events: ColumnType<string[], string[] | undefined, string[]>;
  active: Generated<boolean>;
  created_at: CreatedAt;
}

export interface CalendarConnectionsTable {
  id: Generated<string>;
  specialist_id: string;
  provider: 'google' | 'outlook';
  account_email: string | null;
  tokens_encrypted: string;
  scopes: Generated<string>;
  busy_calendar_ids: ColumnType<string[], string | undefined, string>;
  write_calendar_id: Generated<string>;
  status: Generated<'active' | 'broken'>;
  last_error: string | null;
  busy_fetched_at: Timestamp | null;
  busy_window_from: Timestamp | null;
  busy_window_until: Timestamp | null;
  /** Google `sendUpdates` for events written to this calendar (migration 0500). */
  send_updates: Generated<'all' | 'externalOnly' | 'none'>;
  /** Until when one background refresher has claimed this connection (migration 0500). */
  busy_refresh_claimed_until: Timestamp | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ExternalBusyTable {
  id: Generated<string>;
  connection_id: string;
  specialist_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
}

export type PaymentStatus = 'open' | 'paid' | 'expired' | 'canceled' | 'partially_refunded' | 'refunded';
export type RefundStatus = 'queued' | 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';
export type RefundReason = 'visitor_cancellation' | 'practice_cancellation' | 'declined' | 'late_payment' | 'external' | 'specialist_no_show';
/** imported: the provider said who attended; the rest say why the session is left to be marked by hand. */
export type AttendanceCheck = 'imported' | 'scope_missing' | 'not_connected' | 'unavailable' | 'no_data';
/** Who did not come to a no_show session (migration 1602_16). */
export type NoShowParty = 'visitor' | 'specialist';

/** One Stripe Checkout payment per prepaid booking (migration 1500). Stripe ids only, no card data. */
export interface PaymentsTable {
  id: Generated<string>;
  booking_id: string;
  amount_cents: number;
  currency: string;
  status: Generated<PaymentStatus>;
  return_url: string;
  checkout_expires_at: Timestamp;
  stripe_checkout_session_id: string | null;
  stripe_checkout_url: string | null;
  stripe_payment_intent_id: string | null;
  paid_at: Timestamp | null;
  refunded_cents: Generated<number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RefundsTable {
  id: Generated<string>;
  payment_id: string;
  booking_id: string;
  amount_cents: number;
  currency: string;
  reason: RefundReason;
  idempotency_key: string;
  status: Generated<RefundStatus>;
  stripe_refund_id: string | null;
  stripe_status_at: Timestamp | null;
  failure_reason: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface StripeEventsTable {
  id: string;
  type: string;
  stripe_created_at: Timestamp;
  processed_at: CreatedAt;
}

export interface EmailVerificationsTable {
  id: Generated<string>;
  email_hash: string;
  code_hash: string;
  attempts: Generated<number>;
  expires_at: Timestamp;
  consumed_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface VisitorSessionsTable {
  token_hash: string;
  email: string;
  expires_at: Timestamp;
  created_at: CreatedAt;
}

export interface VerifiedEmailsTable {
  email_hash: string;
  verified_at: Timestamp;
}

export interface UsedChallengesTable {
  id: string;
  expires_at: Timestamp;
}

export interface WebhookReceiptsTable {
  provider: string;
  delivery_id: string;
  received_at: Timestamp;
}

/** Site owners who sign in to the console by email (migration 1400). */
/** One connection to a booking's call (migrations/2026-12-01T1600_16_call_presence.ts). */
export interface CallPresenceTable {
  booking_id: string;
  session: string;
  role: 'visitor' | 'specialist';
  joined_at: Timestamp | null;
  left_at: Timestamp | null;
}

export interface OwnersTable {
  id: Generated<string>;
  email: string;
  name: Generated<string>;
  archived_at: Timestamp | null;
  created_at: CreatedAt;
}

export type ConsoleRole = 'specialist' | 'owner';

/** Console sessions: short-lived bearer tokens, stored as SHA-256 hashes (migration 1400). */
export interface ConsoleSessionsTable {
  id: Generated<string>;
  token_hash: string;
  role: ConsoleRole;
  specialist_id: string | null;
  /** Null with role owner: signed in with ADMIN_TOKEN. */
  owner_id: string | null;
  method: 'link' | 'credential' | 'admin_token';
  label: Generated<string>;
  created_at: CreatedAt;
  expires_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** Single-use sign-in links sent by email (migration 1400). */
export interface SignInLinksTable {
  id: Generated<string>;
  token_hash: string;
  role: ConsoleRole;
  specialist_id: string | null;
  owner_id: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface Database {
  specialists: SpecialistsTable;
  reviews: ReviewsTable;
  message_templates: MessageTemplatesTable;
  push_subscriptions: PushSubscriptionsTable;
  specialist_credentials: SpecialistCredentialsTable;
  services: ServicesTable;
  specialist_services: SpecialistServicesTable;
  weekly_hours: WeeklyHoursTable;
  date_overrides: DateOverridesTable;
  bookings: BookingsTable;
  booking_moves: BookingMovesTable;
  notifications: NotificationsTable;
  allowed_origins: AllowedOriginsTable;
  webhook_endpoints: WebhookEndpointsTable;
  calendar_connections: CalendarConnectionsTable;
  external_busy: ExternalBusyTable;
  payments: PaymentsTable;
  refunds: RefundsTable;
  stripe_events: StripeEventsTable;
  email_verifications: EmailVerificationsTable;
  visitor_sessions: VisitorSessionsTable;
  verified_emails: VerifiedEmailsTable;
  used_challenges: UsedChallengesTable;
  webhook_receipts: WebhookReceiptsTable;
  call_presence: CallPresenceTable;
  owners: OwnersTable;
  console_sessions: ConsoleSessionsTable;
  sign_in_links: SignInLinksTable;
  intake_files: IntakeFilesTable;
}

/** A document attached to a file question (migration 2000): unclaimed until its booking is made. */
export interface IntakeFilesTable {
  id: Generated<string>;
  service_id: string;
  question_id: string;
  booking_id: string | null;
  name: string;
  content_type: string;
  size: number;
  data: Buffer;
  created_at: CreatedAt;
  expires_at: Timestamp | null;
}

export type Specialist = Selectable<SpecialistsTable>;
export type NewSpecialist = Insertable<SpecialistsTable>;
export type SpecialistUpdate = Updateable<SpecialistsTable>;
export type Service = Selectable<ServicesTable>;
export type NewService = Insertable<ServicesTable>;
export type ServiceUpdate = Updateable<ServicesTable>;
export type Booking = Selectable<BookingsTable>;
export type NewBooking = Insertable<BookingsTable>;
export type BookingUpdate = Updateable<BookingsTable>;
export type Notification = Selectable<NotificationsTable>;
export type NewNotification = Insertable<NotificationsTable>;
export type CalendarConnection = Selectable<CalendarConnectionsTable>;
export type Payment = Selectable<PaymentsTable>;
export type RefundRow = Selectable<RefundsTable>;
export type ConsoleSession = Selectable<ConsoleSessionsTable>;
export type Owner = Selectable<OwnersTable>;
