// One booking, for its specialist or the site owner: the visitor, times in both zones, intake
// answers, the terms it was booked under, its moves, and what may be done now (approve, decline
// with a reason, complete, no-show, cancel with the policy's refund). The specialist also keeps
// private notes and a summary for the visitor, sees the visitor's earlier consultations, and
// hosts the call with the same waiting room and call view as the widget (from 10 minutes before,
// with their own session: no long-lived secret in any URL). The owner sees its notifications.
import { html, nothing } from 'lit';
import { Task } from '@lit/task';
import { base } from '../../shared.styles.ts';
import { formatDateTimeZone, formatMoney, formatDuration } from '../../time.ts';
import { joinProblem } from '../../failures.ts';
import type { DailyLoader } from '../../views/bw-call.component.ts';
import '../../views/bw-waiting-room.ts';
import '../../views/bw-call.ts';
import { ConsoleViewElement } from '../view.ts';
import { consoleBase } from '../shared.styles.ts';
import { styles } from './bc-booking.styles.ts';
import { t, statusLabel, type ConsoleKey } from '../i18n.ts';
import type { BookingView, ConsultationNotes, Decision, UploadedFile } from '../api.ts';
import type { JoinInfo } from '../../types.ts';
import { paymentBadge, refundList } from '../payment-parts.ts';

/** The host's room opens 10 minutes before the start (the server's window for specialists). */
export const HOST_LEAD_MIN = 10;
const ROOM_CLOSES_AFTER_MS = 30 * 60_000;

type Stage = 'detail' | 'waiting' | 'call';
/** When a summary can go to the visitor (the server's rule): the session took place or stands. */
const SUMMARY_STATUSES = new Set(['confirmed', 'in_progress', 'completed', 'no_show']);
type Confirming = null | 'decline' | 'cancel' | 'specialist-no-show';

/**
 * @customElement bc-booking
 * @csspart booking - the panel
 * @csspart enter - the waiting room's Enter room button
 * @csspart call - the video call's container
 */
export class BcBooking extends ConsoleViewElement {
  static override styles = [base, consoleBase, styles];
  static override properties = {
    bookingId: { type: String }, join: { type: Boolean }, dailyLoader: { attribute: false },
    booking: { state: true }, stage: { state: true }, confirming: { state: true }, busy: { state: true }, joinInfo: { state: true }, joinError: { state: true }, recording: { state: true }, notes: { state: true },
  };
  declare bookingId: string;
  /** Opened from a join link: straight to the waiting room. */
  declare join: boolean;
  declare dailyLoader: DailyLoader | undefined;
  declare booking: BookingView | null;
  declare stage: Stage;
  declare confirming: Confirming;
  declare busy: boolean;
  /** The last failed action. */
  declare joinInfo: JoinInfo | null;
  declare joinError: string;
  declare recording: boolean;
  declare notes: ConsultationNotes | null;

  constructor() {
    super();
    this.bookingId = '';
    this.join = false;
    this.dailyLoader = undefined;
    this.booking = null;
    this.stage = 'detail';
    this.confirming = null;
    this.busy = false;
    this.joinInfo = null;
    this.joinError = '';
    this.recording = false;
    this.notes = null;
  }

  private get isSpecialist(): boolean {
    return this.session?.role === 'specialist';
  }

  private load = new Task(this, {
    args: () => [this.api, this.bookingId] as const,
    task: async ([api, id], { signal }) => {
      const booking = await api.bookingById(id, signal);
      this.booking = booking;
      if (this.join && this.canHost(booking)) this.stage = 'waiting';
      this.join = false;
      return booking;
    },
  });

  /** Intake questions of the booking's service, for the answers' labels. */
  private questions = new Task(this, {
    args: () => [this.api, this.booking?.specialist.slug, this.booking?.service.id] as const,
    task: async ([api, specialist, serviceId], { signal }) => {
      if (!specialist || !serviceId) return new Map<string, string>();
      const services = await api.publicServices(specialist, signal).catch(() => []);
      return new Map((services.find((s) => s.id === serviceId)?.intakeQuestions ?? []).map((q) => [q.id, q.label]));
    },
  });

  /** Documents attached to file questions, by upload id (the answer's value). */
  private files = new Task(this, {
    args: () => [this.api, this.booking?.id, this.booking?.service.id] as const,
    task: async ([api, id], { signal }) => new Map(id ? (await api.bookingFiles(id, signal).catch(() => [])).map((f) => [f.id, f]) : []),
  });

  /** Saves an attached document: fetched with the session token, handed to the browser as a download. */
  private async saveFile(bookingId: string, file: UploadedFile) {
    try {
      const url = URL.createObjectURL(await this.api.bookingFile(bookingId, file.id));
      const a = Object.assign(document.createElement('a'), { href: url, download: file.name });
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      this.error = err;
    }
  }

  private notesTask = new Task(this, {
    args: () => [this.api, this.isSpecialist ? this.bookingId : ''] as const,
    task: async ([api, id], { signal }) => {
      if (!id) return null;
      this.notes = await api.notes(id, signal);
      return this.notes;
    },
  });

  private history = new Task(this, {
    args: () => [this.api, this.isSpecialist ? this.booking?.visitor.email : undefined] as const,
    task: async ([api, email], { signal }) => (email ? (await api.visitorHistory(email, signal)).consultations : []),
  });

  private deliveries = new Task(this, {
    args: () => [this.api, this.isSpecialist ? '' : this.bookingId] as const,
    task: async ([api, id], { signal }) => (id ? (await api.bookingNotifications(id, signal)).notifications : []),
  });

  private canHost(b: BookingView): boolean {
    return this.isSpecialist && b.service.videoEnabled && (b.status === 'confirmed' || b.status === 'in_progress' || b.status === 'completed')
      && this.now() < Date.parse(b.end) + ROOM_CLOSES_AFTER_MS;
  }

  /** Runs one action; its result is the booking as it is now. */
  private async act(fn: () => Promise<BookingView | void>, done?: ConsoleKey) {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    this.message = '';
    try {
      const updated = await fn();
      if (updated) this.booking = updated;
      this.confirming = null;
      if (done) this.message = t(this.locale, done);
      this.deliveries.run();
    } catch (err) {
      this.error = err;
    } finally {
      this.busy = false;
    }
  }

  private decide(d: Decision) {
    const reason = this.renderRoot.querySelector<HTMLTextAreaElement>('#reason')?.value.trim() || undefined;
    const done: Record<Decision, ConsoleKey> = { approve: 'approved', decline: 'declined', complete: 'markedCompleted', 'no-show': 'markedNoShow' };
    return this.act(() => this.api.decide(this.bookingId, d, reason), done[d]);
  }

  private cancel() {
    const reason = this.renderRoot.querySelector<HTMLTextAreaElement>('#reason')?.value.trim() || undefined;
    return this.act(() => this.api.cancelBooking(this.bookingId, reason), 'bookingCancelled');
  }

  private async ask(what: Confirming) {
    this.confirming = what;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#reason')?.focus();
  }

  private async enter() {
    if (this.busy) return;
    this.busy = true;
    this.joinError = '';
    try {
      this.joinInfo = await this.api.joinAsHost(this.bookingId);
      this.stage = 'call';
    } catch (err) {
      this.joinError = joinProblem(err, this.locale, HOST_LEAD_MIN);
    } finally {
      this.busy = false;
    }
  }

  /** Recording runs at the provider, started and stopped here through the API (consent is checked there). */
  private async record(on: boolean) {
    this.joinError = '';
    try {
      const state = await this.api.record(this.bookingId, on ? 'start' : 'stop');
      this.recording = state.status === 'recording';
    } catch (err) {
      this.joinError = this.problem(err);
    }
  }

  /** The recording's short-lived link, in a tab opened inside the click (so it is not blocked). */
  private async watch() {
    const tab = window.open('', '_blank');
    try {
      const { url } = await this.api.hostRecordingLink(this.bookingId);
      if (tab) { tab.opener = null; tab.location.href = url; } else location.assign(url);
    } catch (err) {
      tab?.close();
      this.error = err;
    }
  }

  private left(seconds: number) {
    this.stage = 'detail';
    this.recording = false;
    this.message = t(this.locale, 'callEnded', { time: formatDuration(seconds, this.locale) });
    this.load.run();
  }

  private async saveNotes(part: 'notes' | 'summary', send = false) {
    const value = this.renderRoot.querySelector<HTMLTextAreaElement>(`#${part}`)!.value;
    await this.act(async () => {
      this.notes = await this.api.saveNotes(this.bookingId, { [part]: value });
      if (send) this.notes = await this.api.sendSummary(this.bookingId);
      this.booking = await this.api.bookingById(this.bookingId);
    }, send ? 'summarySent' : part === 'notes' ? 'notesSaved' : 'summarySaved');
  }

  private async retryDelivery(id: string) {
    await this.act(async () => { await this.api.retryNotification(id); }, 'retryQueued');
  }

  override render() {
    const loc = this.locale;
    const back = html`<button class="link back" @click=${() => this.go({ view: this.isSpecialist ? 'agenda' : 'bookings' })}>← ${t(loc, this.isSpecialist ? 'backToAgenda' : 'backToBookings')}</button>`;
    return html`<div part="booking">${this.stage === 'detail' ? back : nothing}${this.load.render({
      pending: () => (this.booking ? this.body(this.booking) : this.loading()),
      complete: () => this.body(this.booking!),
      error: (e) => html`<h2 tabindex="-1">${t(loc, 'bookingTitle')}</h2>${this.alert(e, () => this.load.run())}`,
    })}</div>`;
  }

  private body(b: BookingView) {
    if (this.stage === 'waiting') return this.waitingRoom(b);
    if (this.stage === 'call' && this.joinInfo) return this.call(b);
    const loc = this.locale;
    return html`
      <div class="head">
        <h2 tabindex="-1">${b.visitor.name} · ${b.service.name}</h2>
        <span class="badge ${b.status}">${statusLabel(loc, b.status)}</span>
      </div>
      ${this.notices()}
      ${this.actions(b)}
      <div class="columns">
        <div>
          ${this.facts(b)}
          ${b.payment ? this.paymentCard(b.payment) : nothing}
          ${this.answers(b)}
          ${b.moves.length ? html`<section class="card" aria-labelledby="moves-title"><h3 id="moves-title">${t(loc, 'moves')}</h3><ul class="plain">
            ${b.moves.map((m) => html`<li>${t(loc, 'movedFromTo', { from: formatDateTimeZone(m.from, loc, this.zone), to: formatDateTimeZone(m.to, loc, this.zone), by: t(loc, `by_${m.by}` as ConsoleKey) })}</li>`)}
          </ul></section>` : nothing}
          ${this.outcome(b)}
          ${b.cancellation ? html`<section class="card"><h3>${t(loc, 'cancellation')}</h3><p>${t(loc, 'cancelledBy', { by: t(loc, `by_${b.cancellation.by}` as ConsoleKey), at: formatDateTimeZone(b.cancellation.at, loc, this.zone) })}</p>
            ${b.cancellation.reason ? html`<p>${t(loc, 'reason')}: ${b.cancellation.reason}</p>` : nothing}
            ${b.cancellation.refund?.cents ? html`<p>${t(loc, 'refund')}: ${formatMoney(b.cancellation.refund.cents, b.cancellation.refund.currency ?? b.service.currency ?? 'EUR', loc)} (${b.cancellation.refund.percent}%)</p>` : nothing}
          </section>` : nothing}
        </div>
        <div>
          ${this.isSpecialist ? this.notesEditor() : this.notificationsList()}
          ${this.isSpecialist ? this.visitorHistory(b) : nothing}
        </div>
      </div>
    `;
  }

  private facts(b: BookingView) {
    const loc = this.locale;
    const price = b.service.priceCents !== null && b.service.currency ? formatMoney(b.service.priceCents, b.service.currency, loc) : t(loc, 'free');
    return html`<section class="card" aria-labelledby="facts-title">
      <h3 id="facts-title">${t(loc, 'details')}</h3>
      <dl class="facts">
        <dt>${t(loc, this.isSpecialist ? 'yourTime' : 'specialistTime')}</dt><dd>${formatDateTimeZone(b.start, loc, b.specialist.timezone)}</dd>
        ${b.visitor.timezone !== b.specialist.timezone ? html`<dt>${t(loc, 'visitorTime')}</dt><dd>${formatDateTimeZone(b.start, loc, b.visitor.timezone)}</dd>` : nothing}
        ${this.isSpecialist ? nothing : html`<dt>${t(loc, 'specialist')}</dt><dd>${b.specialist.name}</dd>`}
        <dt>${t(loc, 'email')}</dt><dd><a href="mailto:${b.visitor.email}">${b.visitor.email}</a></dd>
        ${b.visitor.phone ? html`<dt>${t(loc, 'phone')}</dt><dd><a href="tel:${b.visitor.phone}">${b.visitor.phone}</a></dd>` : nothing}
        <dt>${t(loc, 'terms')}</dt><dd>${t(loc, 'termsLine', { min: b.service.durationMin, price, policy: t(loc, `policy_${b.service.cancellationPolicy}` as ConsoleKey) })}</dd>
        <dt>${t(loc, 'format')}</dt><dd>${t(loc, b.service.videoEnabled ? 'videoCall' : 'inPerson')}</dd>
        <dt>${t(loc, 'bookedAt')}</dt><dd>${formatDateTimeZone(b.createdAt, loc, this.zone)}</dd>
      </dl>
    </section>`;
  }

  private paymentCard(p: NonNullable<BookingView['payment']>) {
    const loc = this.locale;
    return html`<section class="card" aria-labelledby="payment-title">
      <h3 id="payment-title">${t(loc, 'payment')}</h3>
      <dl class="facts">
        <dt>${t(loc, 'amount')}</dt><dd>${formatMoney(p.amountCents, p.currency, loc)} ${paymentBadge(loc, p.status)}</dd>
        ${p.paidAt ? html`<dt>${t(loc, 'paidAt')}</dt><dd>${formatDateTimeZone(p.paidAt, loc, this.zone)}</dd>` : nothing}
        ${p.status === 'open' && p.holdExpiresAt ? html`<dt>${t(loc, 'holdUntil')}</dt><dd>${formatDateTimeZone(p.holdExpiresAt, loc, this.zone)}</dd>` : nothing}
        ${p.refundedCents ? html`<dt>${t(loc, 'refunded')}</dt><dd>${formatMoney(p.refundedCents, p.currency, loc)}</dd>` : nothing}
        ${p.refunds.length ? html`<dt>${t(loc, 'refunds')}</dt><dd>${refundList(loc, p)}</dd>` : nothing}
      </dl>
    </section>`;
  }

  private answers(b: BookingView) {
    const loc = this.locale;
    const entries = Object.entries(b.answers);
    const labels = this.questions.value ?? new Map<string, string>();
    return html`<section class="card" aria-labelledby="answers-title">
      <h3 id="answers-title">${t(loc, 'intakeAnswers')}</h3>
      ${entries.length === 0 ? html`<p class="empty">${t(loc, 'noAnswers')}</p>` : html`<dl class="facts">
        ${entries.map(([id, v]) => {
          const file = typeof v === 'string' ? this.files.value?.get(v) : undefined;
          const size = file && new Intl.NumberFormat(loc, { style: 'unit', unit: 'kilobyte', maximumFractionDigits: 0 }).format(Math.max(1, file.size / 1024));
          return html`<dt>${labels.get(id) ?? id}</dt><dd class="answer">${file
            ? html`<button class="link" @click=${() => this.saveFile(b.id, file)}>${t(loc, 'downloadFile', { name: file.name, size: size! })}</button>`
            : typeof v === 'boolean' ? t(loc, v ? 'yes' : 'no') : v}</dd>`;
        })}
      </dl>`}
    </section>`;
  }

  private actions(b: BookingView) {
    const loc = this.locale;
    const can = (a: BookingView['actions'][number]) => b.actions.includes(a);
    const host = this.canHost(b);
    if (this.confirming === 'specialist-no-show') return this.confirmSpecialistNoShow(b);
    if (this.confirming) {
      const cancel = this.confirming === 'cancel';
      const refund = cancel && b.refundPreview?.cents && b.refundPreview.currency
        ? t(loc, 'refundWillBe', { amount: formatMoney(b.refundPreview.cents, b.refundPreview.currency, loc), percent: b.refundPreview.percent })
        : cancel ? t(loc, 'noRefund') : t(loc, 'declineRefund');
      return html`<div class="card confirm" role="group" aria-labelledby="confirm-title">
        <h3 id="confirm-title">${t(loc, cancel ? 'cancelTitle' : 'declineTitle')}</h3>
        <p id="refund">${refund}</p>
        <div class="field"><label for="reason">${t(loc, 'reasonForVisitor')}</label><textarea id="reason" rows="2" maxlength="1000"></textarea></div>
        <div class="actions">
          <button class="danger" id="confirm" ?disabled=${this.busy} @click=${() => (cancel ? this.cancel() : this.decide('decline'))}>${t(loc, cancel ? 'cancelConfirm' : 'declineConfirm')}</button>
          <button @click=${() => { this.confirming = null; }}>${t(loc, 'keepIt')}</button>
        </div>
      </div>`;
    }
    const buttons = [
      host ? html`<button class="primary" id="host" @click=${() => { this.stage = 'waiting'; }}>${t(loc, 'openWaitingRoom')}</button>` : nothing,
      this.isSpecialist && b.recording?.status === 'ready' ? html`<button id="watch" @click=${this.watch}>${t(loc, 'watchRecording')}</button>` : nothing,
      can('approve') ? html`<button class="primary" id="approve" ?disabled=${this.busy} @click=${() => this.decide('approve')}>${t(loc, 'approve')}</button>` : nothing,
      can('decline') ? html`<button class="danger" id="decline" ?disabled=${this.busy} @click=${() => this.ask('decline')}>${t(loc, 'decline')}</button>` : nothing,
      can('complete') ? html`<button id="complete" ?disabled=${this.busy} @click=${() => this.decide('complete')}>${t(loc, 'markCompleted')}</button>` : nothing,
      can('no_show') ? html`<button id="no-show" ?disabled=${this.busy} @click=${() => this.decide('no-show')}>${t(loc, 'markNoShow')}</button>` : nothing,
      can('cancel') ? html`<button class="danger" id="cancel" ?disabled=${this.busy} @click=${() => this.ask('cancel')}>${t(loc, 'cancelBooking')}</button>` : nothing,
      // Where the call could not tell (Meet or Teams without attendance), the site owner records the specialist's absence.
      !this.isSpecialist && (b.status === 'confirmed' || b.status === 'in_progress') && this.now() >= Date.parse(b.start)
        ? html`<button id="specialist-no-show" ?disabled=${this.busy} @click=${() => this.ask('specialist-no-show')}>${t(loc, 'specialistNoShow')}</button>` : nothing,
    ];
    return html`<div class="actions main" role="group" aria-label=${t(loc, 'actions')}>${buttons}</div>`;
  }

  private confirmSpecialistNoShow(b: BookingView) {
    const loc = this.locale;
    const paid = b.payment?.paidAt ? b.payment : null;
    return html`<div class="card confirm" role="group" aria-labelledby="confirm-title">
      <h3 id="confirm-title">${t(loc, 'specialistNoShowTitle')}</h3>
      <p>${t(loc, 'specialistNoShowExplained')}</p>
      ${paid ? html`<p id="refund">${t(loc, 'specialistNoShowRefund', { amount: formatMoney(paid.amountCents - paid.refundedCents, paid.currency, loc) })}</p>` : nothing}
      <div class="actions">
        <button class="danger" id="confirm" ?disabled=${this.busy}
          @click=${() => this.act(() => this.api.markSpecialistNoShow(this.bookingId), 'markedSpecialistNoShow')}>${t(loc, 'specialistNoShowConfirm')}</button>
        <button @click=${() => { this.confirming = null; }}>${t(loc, 'keepIt')}</button>
      </div>
    </div>`;
  }

  private notesEditor() {
    const loc = this.locale;
    const n = this.notes;
    return html`<section class="card" aria-labelledby="notes-title">
      <h3 id="notes-title">${t(loc, 'notesTitle')}</h3>
      ${this.notesTask.render({
        pending: () => (n ? nothing : this.loading()),
        error: (e) => this.alert(e, () => this.notesTask.run()),
      })}
      ${n ? html`
        <div class="field">
          <label for="notes">${t(loc, 'privateNotes')}</label>
          <p class="hint" id="notes-hint">${t(loc, 'privateNotesHint')}</p>
          <textarea id="notes" rows="5" maxlength="20000" aria-describedby="notes-hint" .value=${n.notes}></textarea>
          <div class="actions"><button ?disabled=${this.busy} @click=${() => this.saveNotes('notes')}>${t(loc, 'saveNotes')}</button></div>
        </div>
        <div class="field">
          <label for="summary">${t(loc, 'summaryForVisitor')}</label>
          <p class="hint" id="summary-hint">${n.summarySentAt ? t(loc, 'summarySentAt', { at: formatDateTimeZone(n.summarySentAt, loc, this.zone) }) : t(loc, 'summaryHint')}</p>
          <textarea id="summary" rows="5" maxlength="20000" aria-describedby="summary-hint" .value=${n.summary}></textarea>
          <div class="actions">
            <button ?disabled=${this.busy} @click=${() => this.saveNotes('summary')}>${t(loc, 'saveSummary')}</button>
            ${SUMMARY_STATUSES.has(this.booking?.status ?? 'pending') ? html`<button class="primary" id="send-summary" ?disabled=${this.busy}
              @click=${() => this.saveNotes('summary', true)}>${t(loc, 'saveAndSend')}</button>` : nothing}
          </div>
        </div>` : nothing}
    </section>`;
  }

  private visitorHistory(b: BookingView) {
    const loc = this.locale;
    return html`<section class="card" aria-labelledby="history-title">
      <h3 id="history-title">${t(loc, 'visitorHistory', { name: b.visitor.name })}</h3>
      ${this.history.render({
        pending: () => this.loading(),
        error: (e) => this.alert(e, () => this.history.run()),
        complete: (items) => {
          const others = items.filter((i) => i.bookingId !== b.id);
          return others.length === 0 ? html`<p class="empty">${t(loc, 'firstConsultation')}</p>` : html`<ul class="plain history">
            ${others.map((i) => html`<li>
              <button class="link" @click=${() => this.go({ view: 'booking', id: i.bookingId })}>${formatDateTimeZone(i.startsAt, loc, this.zone)} · ${i.serviceName}</button>
              <span class="badge ${i.status}">${statusLabel(loc, i.status as BookingView['status'])}</span>
              ${i.summary ? html`<p class="hint">${i.summary}</p>` : nothing}
            </li>`)}
          </ul>`;
        },
      })}
    </section>`;
  }

  private notificationsList() {
    const loc = this.locale;
    return html`<section class="card" aria-labelledby="sent-title">
      <h3 id="sent-title">${t(loc, 'messagesTitle')}</h3>
      ${this.deliveries.render({
        pending: () => this.loading(),
        error: (e) => this.alert(e, () => this.deliveries.run()),
        complete: (list) => list.length === 0 ? html`<p class="empty">${t(loc, 'noMessages')}</p>` : html`<ul class="plain">
          ${list.map((n) => html`<li class="delivery">
            <span>${n.kind} · ${n.channel}</span> <span class="badge ${n.status}">${t(loc, `delivery_${n.status}` as ConsoleKey)}</span>
            <span class="hint">${formatDateTimeZone(n.sendAt, loc, this.zone)}</span>
            ${n.lastError ? html`<p class="error">${n.lastError}</p>` : nothing}
            ${n.status === 'failed' ? html`<button @click=${() => this.retryDelivery(n.id)}>${t(loc, 'retrySend')}</button>` : nothing}
          </li>`)}
        </ul>`,
      })}
    </section>`;
  }

  /**
   * Who did not come to a no-show (the specialist's own no-show refunds a prepaid visitor), or why
   * Meet/Teams could not say who attended, so the session is left to be marked by hand.
   */
  private outcome(b: BookingView) {
    const loc = this.locale;
    if (b.noShow) {
      const refund = b.noShow.refund?.cents && b.noShow.refund.currency ? b.noShow.refund : null;
      return html`<section class="card" id="outcome"><h3>${t(loc, 'outcomeTitle')}</h3>
        <p>${t(loc, b.noShow.party === 'specialist' ? 'noShowSpecialist' : 'noShowVisitor')}</p>
        ${refund ? html`<p>${t(loc, 'noShowRefunded', { amount: formatMoney(refund.cents!, refund.currency!, loc) })}</p>` : nothing}
      </section>`;
    }
    const open = b.status === 'confirmed' || b.status === 'in_progress';
    if (open && b.attendance && b.attendance !== 'imported') {
      return html`<p class="notice" id="attendance" role="note">${t(loc, `attendance_${b.attendance}` as ConsoleKey)}</p>`;
    }
    return nothing;
  }

  private waitingRoom(b: BookingView) {
    return html`
      <button class="link back" @click=${() => { this.stage = 'detail'; }}>← ${t(this.locale, 'bookingDetails')}</button>
      <bw-waiting-room class="card" data-view .booking=${b} locale=${this.locale} timezone=${b.specialist.timezone} leadMin=${HOST_LEAD_MIN}
        partner=${b.visitor.name} host ?busy=${this.busy} error=${this.joinError} .now=${this.now} exportparts="enter"
        @bw-enter=${this.enter}></bw-waiting-room>`;
  }

  private call(b: BookingView) {
    const loc = this.locale;
    return html`
      ${this.joinInfo?.recording ? html`<div class="actions record" role="group" aria-label=${t(loc, 'recording')}>
        <button ?disabled=${this.recording} @click=${() => this.record(true)}>${t(loc, 'startRecording')}</button>
        <button ?disabled=${!this.recording} @click=${() => this.record(false)}>${t(loc, 'stopRecording')}</button>
        <span role="status">${this.recording ? t(loc, 'recordingOn') : ''}</span>
      </div>` : this.joinInfo?.recordingState?.offered ? html`<p class="muted" id="no-consent">${t(loc, 'recordingNoConsent')}</p>` : nothing}
      ${this.joinError ? html`<p class="notice bad" role="alert">${this.joinError}</p>` : nothing}
      <bw-call data-view .join=${this.joinInfo!} locale=${loc} specialistName=${b.visitor.name} .loader=${this.dailyLoader ?? undefined} .api=${this.api} bookingId=${b.id}
        exportparts="call" @bw-call-left=${(e: CustomEvent<number>) => this.left(e.detail)}></bw-call>`;
  }
}
