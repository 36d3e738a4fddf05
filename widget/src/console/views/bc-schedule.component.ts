// A specialist's schedule, edited by them or by the site owner: the weekly hours (several
// intervals a day, copy a day to others), date overrides and vacations on a month calendar, and
// a preview of the free times that result, in any zone. Hours are wall-clock times in the
// specialist's zone; the server checks every interval and names the one it refuses.
import { html, nothing } from 'lit';
import { Task } from '@lit/task';
import { base } from '../../shared.styles.ts';
import { ApiError } from '../../api.ts';
import {
  addDays, addMonths, dateInZone, firstDayOfWeek, firstOfMonth, formatDate, formatMonth, formatTime, lastOfMonth, monthOf, weekday, weekdayNames,
} from '../../time.ts';
import '../../views/bw-zone-picker.ts';
import { ConsoleViewElement } from '../view.ts';
import { consoleBase } from '../shared.styles.ts';
import { styles } from './bc-schedule.styles.ts';
import { t } from '../i18n.ts';
import type { DateOverride, ScheduleScope, WeeklyInterval } from '../api.ts';

interface Span { start: string; end: string }
/** The week being edited: ISO weekday (1 = Monday) to its intervals. */
export type Week = Record<number, Span[]>;

export function toWeek(hours: WeeklyInterval[]): Week {
  const week: Week = { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [] };
  for (const h of hours) week[h.weekday]!.push({ start: h.start, end: h.end });
  return week;
}

/** The week as the API takes it, and which interval each entry came from (to place an error). */
export function fromWeek(week: Week): { hours: WeeklyInterval[]; origin: [number, number][] } {
  const hours: WeeklyInterval[] = [];
  const origin: [number, number][] = [];
  for (let d = 1; d <= 7; d++) week[d]!.forEach((s, i) => { hours.push({ weekday: d, start: s.start, end: s.end }); origin.push([d, i]); });
  return { hours, origin };
}

/**
 * @customElement bc-schedule
 * @csspart schedule - the panel
 */
export class BcSchedule extends ConsoleViewElement {
  static override styles = [base, consoleBase, styles];
  static override properties = {
    specialistId: { type: String },
    week: { state: true }, dirty: { state: true }, fieldError: { state: true }, copying: { state: true }, saved: { state: true },
    month: { state: true }, day: { state: true }, dayMode: { state: true }, dayHours: { state: true }, actionError: { state: true },
    previewService: { state: true }, previewZone: { state: true }, previewFrom: { state: true }, busy: { state: true },
  };
  /** Set by the owner: whose schedule. Unset: the signed-in specialist's own. */
  declare specialistId: string;
  declare week: Week | null;
  declare dirty: boolean;
  /** The interval the server refused, and why. */
  declare fieldError: { day: number; index: number; message: string } | null;
  /** The weekday whose hours are being copied to others. */
  declare copying: number | null;
  declare saved: string;
  declare month: string;
  declare day: string | null;
  declare dayMode: 'weekly' | 'blocked' | 'custom';
  declare dayHours: Span[];
  declare actionError: unknown;
  declare previewService: string;
  declare previewZone: string;
  declare previewFrom: string;
  declare busy: boolean;

  constructor() {
    super();
    this.specialistId = '';
    this.week = null;
    this.dirty = false;
    this.fieldError = null;
    this.copying = null;
    this.saved = '';
    this.month = '';
    this.day = null;
    this.dayMode = 'weekly';
    this.dayHours = [];
    this.actionError = null;
    this.previewService = '';
    this.previewZone = '';
    this.previewFrom = '';
    this.busy = false;
  }

  private get scope(): ScheduleScope {
    return this.specialistId ? { specialist: this.specialistId } : { own: true };
  }

  /** The specialist: who they are (zone, slug) and which services they offer. */
  private who = new Task(this, {
    args: () => [this.api, this.specialistId] as const,
    task: async ([api, id], { signal }) => {
      const s = id ? (await api.specialists(signal)).specialists.find((x) => x.id === id || x.slug === id) : await api.me(signal);
      if (!s) throw new ApiError(404, { error: 'not_found', message: 'Specialist not found' });
      const services = (await api.publicServices(s.slug, signal)).filter((x) => s.services.includes(x.id));
      return { specialist: s, services };
    },
  });

  private hoursTask = new Task(this, {
    args: () => [this.api, this.specialistId] as const,
    task: async ([api], { signal }) => {
      const h = await api.hours(this.scope, signal);
      this.week = toWeek(h.hours);
      this.dirty = false;
      return h;
    },
  });

  private overridesTask = new Task(this, {
    args: () => [this.api, this.specialistId, this.monthShown] as const,
    task: async ([api, , month], { signal }) => (await api.overrides(this.scope, firstOfMonth(month), lastOfMonth(month), signal)).overrides,
  });

  private preview = new Task(this, {
    args: () => [this.api, this.who.value?.specialist.slug, this.previewService || this.who.value?.services[0]?.id, this.previewZoneShown, this.previewFromShown] as const,
    task: async ([api, slug, service, zone, from], { signal }) => {
      if (!slug || !service) return null;
      return api.previewSlots(slug, service, from, addDays(from, 6), zone, signal);
    },
  });

  private get tz(): string {
    return this.who.value?.specialist.timezone ?? this.zone;
  }

  private get today(): string {
    return dateInZone(this.now(), this.tz);
  }

  private get monthShown(): string {
    return this.month || monthOf(dateInZone(this.now(), this.tz));
  }

  private get previewZoneShown(): string {
    return this.previewZone || this.tz;
  }

  private get previewFromShown(): string {
    return this.previewFrom || this.today;
  }

  // ---- weekly hours ----

  private change(fn: (w: Week) => void) {
    const week = structuredClone(this.week!);
    fn(week);
    this.week = week;
    this.dirty = true;
    this.saved = '';
    this.fieldError = null;
  }

  private async addInterval(day: number) {
    this.change((w) => {
      const last = w[day]!.at(-1);
      w[day]!.push(last && last.end < '23:00' ? { start: last.end, end: last.end < '20:00' ? addHour(addHour(last.end)) : '24:00' } : { start: '09:00', end: '17:00' });
    });
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>(`#h-${day}-${this.week![day]!.length - 1}-start`)?.focus();
  }

  private copyTo(from: number) {
    const targets = [...this.renderRoot.querySelectorAll<HTMLInputElement>('.copy input:checked')].map((i) => Number(i.value));
    this.change((w) => { for (const d of targets) w[d] = w[from]!.map((s) => ({ ...s })); });
    this.copying = null;
  }

  private async saveHours() {
    const { hours, origin } = fromWeek(this.week!);
    this.busy = true;
    try {
      const saved = await this.api.saveHours(this.scope, hours);
      this.week = toWeek(saved.hours);
      this.dirty = false;
      this.saved = t(this.locale, 'hoursSaved');
      this.preview.run();
    } catch (err) {
      const m = err instanceof ApiError ? /^body\.hours\[(\d+)\]/.exec(err.body.field ?? '') : null;
      const at = m ? origin[Number(m[1])] : undefined;
      this.fieldError = { day: at?.[0] ?? 0, index: at?.[1] ?? -1, message: this.problem(err) };
    } finally {
      this.busy = false;
    }
  }

  // ---- overrides ----

  private openDay(date: string, existing: DateOverride | undefined) {
    this.day = date;
    this.dayMode = existing ? (existing.blocked ? 'blocked' : 'custom') : 'weekly';
    this.dayHours = existing && !existing.blocked ? existing.intervals.map((i) => ({ ...i })) : [{ start: '09:00', end: '13:00' }];
    this.actionError = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#day-title')?.focus());
  }

  private async saveDay(existing: DateOverride | undefined) {
    const date = this.day!;
    this.busy = true;
    this.actionError = null;
    try {
      if (this.dayMode === 'weekly') {
        if (existing) await this.api.removeOverride(this.scope, existing.id);
      } else {
        const reason = this.renderRoot.querySelector<HTMLInputElement>('#day-reason')?.value.trim() ?? '';
        await this.api.setOverride(this.scope, { date, intervals: this.dayMode === 'blocked' ? [] : this.dayHours, ...(reason ? { reason } : {}) });
      }
      this.saved = t(this.locale, 'daySaved', { date: formatDate(date, this.locale) });
      this.day = null;
      this.overridesTask.run();
      this.preview.run();
    } catch (err) {
      this.actionError = err;
    } finally {
      this.busy = false;
    }
  }

  private async blockRange(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const value = (id: string) => form.querySelector<HTMLInputElement>(`#${id}`)!.value;
    this.busy = true;
    this.actionError = null;
    try {
      const { overrides } = await this.api.blockDates(this.scope, { from: value('vac-from'), to: value('vac-to'), ...(value('vac-reason') ? { reason: value('vac-reason') } : {}) });
      this.saved = t(this.locale, 'vacationSaved', { n: overrides.length });
      form.reset();
      this.month = monthOf(overrides[0]?.date ?? this.monthShown);
      this.overridesTask.run();
      this.preview.run();
    } catch (err) {
      this.actionError = err;
    } finally {
      this.busy = false;
    }
  }

  override render() {
    const loc = this.locale;
    return html`<div part="schedule">
      ${this.specialistId ? html`<button class="link back" @click=${() => this.go({ view: 'specialists' })}>← ${t(loc, 'backToSpecialists')}</button>` : nothing}
      <div class="head">
        <h2 tabindex="-1">${this.specialistId && this.who.value ? t(loc, 'scheduleOf', { name: this.who.value.specialist.name }) : t(loc, 'scheduleTitle')}</h2>
        <span class="muted">${t(loc, 'timesIn', { zone: this.tz.replaceAll('_', ' ') })}</span>
      </div>
      ${this.saved ? html`<p class="notice good" role="status">${this.saved}</p>` : nothing}
      ${this.hoursTask.render({
        pending: () => (this.week ? this.weekEditor() : this.loading()),
        complete: () => this.weekEditor(),
        error: (e) => this.alert(e, () => this.hoursTask.run()),
      })}
      ${this.overridesEditor()}
      ${this.previewPanel()}
    </div>`;
  }

  private weekEditor() {
    const loc = this.locale;
    const first = firstDayOfWeek(loc);
    const names = weekdayNames(loc, first);
    // ISO weekdays in the locale's order (first = 0 is Sunday = ISO 7).
    const order = Array.from({ length: 7 }, (_, i) => ((first + i + 6) % 7) + 1);
    const week = this.week!;
    return html`<section class="card" aria-labelledby="week-title">
      <h3 id="week-title">${t(loc, 'weeklyHours')}</h3>
      <p class="hint">${t(loc, 'weeklyHoursHint')}</p>
      ${this.fieldError && this.fieldError.index < 0 ? html`<p class="notice bad" role="alert">${this.fieldError.message}</p>` : nothing}
      <div class="week">
        ${order.map((d, i) => {
          const [, long] = names[i]!;
          const spans = week[d]!;
          return html`<fieldset class="weekday">
            <legend>${long}</legend>
            ${spans.length === 0 ? html`<p class="hint off">${t(loc, 'dayOff')}</p>` : nothing}
            ${spans.map((s, k) => {
              const err = this.fieldError && this.fieldError.day === d && this.fieldError.index === k ? this.fieldError.message : '';
              const id = `h-${d}-${k}`;
              return html`<div class="interval">
                <label class="sr-only" for="${id}-start">${t(loc, 'fromTime', { day: long })}</label>
                <input id="${id}-start" class="time" inputmode="numeric" maxlength="5" placeholder="09:00" .value=${s.start} aria-invalid=${err ? 'true' : 'false'} aria-describedby="${id}-error"
                  @change=${(e: Event) => this.change((w) => { w[d]![k]!.start = timeValue((e.target as HTMLInputElement).value); })}>
                <span aria-hidden="true">–</span>
                <label class="sr-only" for="${id}-end">${t(loc, 'toTime', { day: long })}</label>
                <input id="${id}-end" class="time" inputmode="numeric" maxlength="5" placeholder="17:00" .value=${s.end} aria-invalid=${err ? 'true' : 'false'} aria-describedby="${id}-error"
                  @change=${(e: Event) => this.change((w) => { w[d]![k]!.end = timeValue((e.target as HTMLInputElement).value); })}>
                <button class="link remove" aria-label=${t(loc, 'removeInterval', { day: long, from: s.start, to: s.end })}
                  @click=${() => this.change((w) => { w[d]!.splice(k, 1); })}>${t(loc, 'remove')}</button>
                <p id="${id}-error" class="error" role=${err ? 'alert' : nothing} ?hidden=${!err}>${err}</p>
              </div>`;
            })}
            <div class="actions">
              <button class="link" @click=${() => this.addInterval(d)}>+ ${t(loc, 'addHours')}</button>
              ${spans.length ? html`<button class="link" aria-expanded=${this.copying === d ? 'true' : 'false'} @click=${() => { this.copying = this.copying === d ? null : d; }}>${t(loc, 'copyTo')}</button>` : nothing}
            </div>
            ${this.copying === d ? html`<div class="copy" role="group" aria-label=${t(loc, 'copyDayTo', { day: long })}>
              ${order.filter((o) => o !== d).map((o) => html`<label class="check"><input type="checkbox" value=${o}>${names[order.indexOf(o)]![1]}</label>`)}
              <button @click=${() => this.copyTo(d)}>${t(loc, 'apply')}</button>
            </div>` : nothing}
          </fieldset>`;
        })}
      </div>
      <div class="actions">
        <button class="primary" id="save-hours" ?disabled=${this.busy || !this.dirty} @click=${this.saveHours}>${t(loc, 'saveHours')}</button>
        ${this.dirty ? html`<span class="hint" role="status">${t(loc, 'unsaved')}</span>` : nothing}
      </div>
    </section>`;
  }

  private overridesEditor() {
    const loc = this.locale;
    const month = this.monthShown;
    const overrides = this.overridesTask.value ?? [];
    const byDate = new Map(overrides.map((o) => [o.date, o]));
    const first = firstDayOfWeek(loc);
    const lead = (weekday(firstOfMonth(month)) - first + 7) % 7;
    const last = Number(lastOfMonth(month).slice(8));
    const cells: (string | null)[] = [...Array(lead).fill(null)];
    for (let d = 1; d <= last; d++) cells.push(`${month}-${String(d).padStart(2, '0')}`);
    while (cells.length % 7) cells.push(null);
    const rows = Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
    const names = weekdayNames(loc, first);
    const selected = this.day ? byDate.get(this.day) : undefined;
    return html`<section class="card" aria-labelledby="days-title">
      <h3 id="days-title">${t(loc, 'overridesTitle')}</h3>
      <p class="hint">${t(loc, 'overridesHint')}</p>
      <div class="month-head">
        <button aria-label=${t(loc, 'previousMonth')} @click=${() => { this.month = monthOf(addMonths(firstOfMonth(month), -1)); }}>‹</button>
        <h4 id="month-title" aria-live="polite">${formatMonth(month, loc)}</h4>
        <button aria-label=${t(loc, 'nextMonth')} @click=${() => { this.month = monthOf(addMonths(firstOfMonth(month), 1)); }}>›</button>
      </div>
      <table class="month" aria-labelledby="month-title">
        <thead><tr>${names.map(([s, l]) => html`<th scope="col"><abbr title=${l}>${s}</abbr></th>`)}</tr></thead>
        <tbody>${rows.map((row) => html`<tr>${row.map((date) => {
          if (date === null) return html`<td></td>`;
          const o = byDate.get(date);
          const kind = o ? (o.blocked ? 'blocked' : 'custom') : '';
          const label = `${formatDate(date, loc)}${o ? `, ${t(loc, o.blocked ? 'dayBlocked' : 'dayCustom')}${o.reason ? ` (${o.reason})` : ''}` : ''}`;
          return html`<td><button class="date ${kind}" data-date=${date} aria-label=${label} aria-pressed=${this.day === date ? 'true' : 'false'}
            aria-current=${date === this.today ? 'date' : nothing} @click=${() => this.openDay(date, o)}>${Number(date.slice(8))}</button></td>`;
        })}</tr>`)}</tbody>
      </table>
      <p class="legend hint"><span class="key blocked"></span>${t(loc, 'dayBlocked')} <span class="key custom"></span>${t(loc, 'dayCustom')}</p>
      ${this.overridesTask.render({ error: (e) => this.alert(e, () => this.overridesTask.run()) })}
      ${this.actionError ? this.alert(this.actionError) : nothing}
      ${this.day ? this.dayEditor(this.day, selected) : nothing}
      <form class="vacation" @submit=${this.blockRange}>
        <h4>${t(loc, 'vacationTitle')}</h4>
        <div class="grid">
          <div class="field"><label for="vac-from">${t(loc, 'firstDay')}</label><input id="vac-from" type="date" required min=${this.today}></div>
          <div class="field"><label for="vac-to">${t(loc, 'lastDay')}</label><input id="vac-to" type="date" required min=${this.today}></div>
          <div class="field"><label for="vac-reason">${t(loc, 'reasonOptional')}</label><input id="vac-reason" maxlength="200"></div>
        </div>
        <button type="submit" ?disabled=${this.busy}>${t(loc, 'blockDates')}</button>
      </form>
    </section>`;
  }

  private dayEditor(date: string, existing: DateOverride | undefined) {
    const loc = this.locale;
    const modes: ['weekly' | 'blocked' | 'custom', string][] = [['weekly', t(loc, 'dayWeekly')], ['blocked', t(loc, 'dayBlockedChoice')], ['custom', t(loc, 'dayCustomChoice')]];
    return html`<div class="day-editor" role="group" aria-labelledby="day-title">
      <h4 id="day-title" tabindex="-1">${formatDate(date, loc)}</h4>
      <fieldset><legend>${t(loc, 'thisDay')}</legend>
        ${modes.map(([m, label]) => html`<label class="check"><input type="radio" name="day-mode" value=${m} .checked=${this.dayMode === m}
          @change=${() => { this.dayMode = m; }}>${label}</label>`)}
      </fieldset>
      ${this.dayMode === 'custom' ? html`${this.dayHours.map((s, k) => html`<div class="interval">
          <label class="sr-only" for="d-${k}-start">${t(loc, 'fromTime', { day: formatDate(date, loc) })}</label>
          <input id="d-${k}-start" class="time" inputmode="numeric" maxlength="5" placeholder="09:00" .value=${s.start} @change=${(e: Event) => { this.dayHours = this.dayHours.map((x, i) => (i === k ? { ...x, start: timeValue((e.target as HTMLInputElement).value) } : x)); }}>
          <span aria-hidden="true">–</span>
          <label class="sr-only" for="d-${k}-end">${t(loc, 'toTime', { day: formatDate(date, loc) })}</label>
          <input id="d-${k}-end" class="time" inputmode="numeric" maxlength="5" placeholder="17:00" .value=${s.end} @change=${(e: Event) => { this.dayHours = this.dayHours.map((x, i) => (i === k ? { ...x, end: timeValue((e.target as HTMLInputElement).value) } : x)); }}>
          <button class="link remove" @click=${() => { this.dayHours = this.dayHours.filter((_, i) => i !== k); }}>${t(loc, 'remove')}</button>
        </div>`)}
        <button class="link" @click=${() => { this.dayHours = [...this.dayHours, { start: '14:00', end: '17:00' }]; }}>+ ${t(loc, 'addHours')}</button>` : nothing}
      ${this.dayMode !== 'weekly' ? html`<div class="field"><label for="day-reason">${t(loc, 'reasonOptional')}</label>
        <input id="day-reason" maxlength="200" .value=${existing?.reason ?? ''}></div>` : nothing}
      <div class="actions">
        <button class="primary" id="save-day" ?disabled=${this.busy} @click=${() => this.saveDay(existing)}>${t(loc, 'saveDay')}</button>
        <button @click=${() => { this.day = null; }}>${t(loc, 'close')}</button>
      </div>
    </div>`;
  }

  private previewPanel() {
    const loc = this.locale;
    const who = this.who.value;
    const zone = this.previewZoneShown;
    const from = this.previewFromShown;
    return html`<section class="card" aria-labelledby="preview-title">
      <h3 id="preview-title">${t(loc, 'previewTitle')}</h3>
      ${this.who.render({ error: (e) => this.alert(e, () => this.who.run()) })}
      ${who && who.services.length === 0 ? html`<p class="empty">${t(loc, 'noServicesYet')}</p>` : nothing}
      ${who && who.services.length ? html`
        <div class="grid">
          <div class="field"><label for="pv-service">${t(loc, 'service')}</label>
            <select id="pv-service" @change=${(e: Event) => { this.previewService = (e.target as HTMLSelectElement).value; }}>
              ${who.services.map((s) => html`<option value=${s.id} ?selected=${(this.previewService || who.services[0]!.id) === s.id}>${s.name}</option>`)}
            </select></div>
          <div class="field"><label for="pv-from">${t(loc, 'weekFrom')}</label>
            <input id="pv-from" type="date" .value=${from} min=${this.today} @change=${(e: Event) => { this.previewFrom = (e.target as HTMLInputElement).value || this.today; }}></div>
          <bw-zone-picker value=${zone} locale=${loc} @bw-zone-change=${(e: CustomEvent<string>) => { this.previewZone = e.detail; }}></bw-zone-picker>
        </div>
        ${this.preview.render({
          pending: () => this.loading(),
          error: (e) => this.alert(e, () => this.preview.run()),
          complete: (res) => {
            if (!res) return nothing;
            const days = new Map(res.days.map((d) => [d.date, d.slots]));
            return html`<div class="preview">${Array.from({ length: 7 }, (_, i) => addDays(from, i)).map((d) => {
              const slots = days.get(d) ?? [];
              return html`<div class="pday"><h4>${formatDate(d, loc)}</h4>
                ${slots.length ? html`<p class="times">${slots.slice(0, PREVIEW_TIMES).map((s) => formatTime(s.start, loc, zone)).join(' · ')}${
                  slots.length > PREVIEW_TIMES ? html` <span class="hint">${t(loc, 'andMore', { n: slots.length - PREVIEW_TIMES, last: formatTime(slots.at(-1)!.start, loc, zone) })}</span>` : nothing}</p>`
                  : html`<p class="hint">${t(loc, 'noFreeTimes')}</p>`}</div>`;
            })}</div>`;
          },
        })}` : nothing}
    </section>`;
  }
}

/** How many start times a preview day lists before summing up the rest. */
const PREVIEW_TIMES = 12;

/** What was typed as a time of day, in the API's 'HH:MM' ("9" -> "09:00", "930" -> "09:30", "24" -> "24:00"). */
export function timeValue(typed: string): string {
  const digits = typed.replace(/\D/g, '');
  if (digits.length === 0) return typed.trim();
  const [h, m] = digits.length <= 2 ? [digits, '00'] : [digits.slice(0, -2), digits.slice(-2)];
  return `${h.padStart(2, '0')}:${m}`;
}

/** 'HH:MM' one hour later, at most 24:00. */
function addHour(time: string): string {
  const h = Math.min(24, Number(time.slice(0, 2)) + 1);
  return `${String(h).padStart(2, '0')}:${h === 24 ? '00' : time.slice(3, 5)}`;
}

