// A specialist's reminder times as the console edits them: "the practice's default" (null) or
// their own minutes before the start, typed as a comma-separated list ("1440, 60, 10"; empty:
// none). Used by the owner's specialist form and the specialist's own account page; the server
// checks the rules (1-10080 minutes, at most 5, no repeats) and its message names the field.
import { html } from 'lit';
import { t } from './i18n.ts';

/** What the fields hold: null (the practice's default), or the minutes; 'invalid' when the text is not a list of whole numbers. */
export function readReminders(root: ParentNode, prefix: string): number[] | null | 'invalid' {
  if (root.querySelector<HTMLInputElement>(`#${prefix}-reminders-default`)?.checked) return null;
  const text = root.querySelector<HTMLInputElement>(`#${prefix}-hostReminderMinutes`)?.value.trim() ?? '';
  if (text === '') return [];
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  return parts.every((p) => /^\d+$/.test(p)) ? parts.map(Number) : 'invalid';
}

/** "1440, 60, 10", "no reminders" or "practice default": how a specialist's setting reads in a list. */
export function remindersText(locale: string, minutes: readonly number[] | null): string {
  if (minutes === null) return t(locale, 'remindersPracticeDefault');
  return minutes.length === 0 ? t(locale, 'remindersNone') : minutes.join(', ');
}

/**
 * The fields: a "practice default" checkbox and the minutes (disabled while the default is used).
 * `onToggle` re-renders the host when the checkbox changes; `error` is shown under the minutes.
 */
export function reminderFields(locale: string, prefix: string, value: readonly number[] | null, useDefault: boolean, error: string, onToggle: (useDefault: boolean) => void) {
  const id = `${prefix}-hostReminderMinutes`;
  return html`<fieldset class="reminders"><legend>${t(locale, 'remindersTitle')}</legend>
    <label class="check"><input type="checkbox" id="${prefix}-reminders-default" .checked=${useDefault}
      @change=${(e: Event) => onToggle((e.target as HTMLInputElement).checked)}>${t(locale, 'remindersDefault')}</label>
    <div class="field"><label for=${id}>${t(locale, 'remindersMinutes')}</label>
      <p class="hint" id="${id}-hint">${t(locale, 'remindersHint')}</p>
      <input id=${id} inputmode="numeric" autocomplete="off" .value=${value?.join(', ') ?? ''} ?disabled=${useDefault}
        aria-invalid=${error ? 'true' : 'false'} aria-describedby="${id}-error ${id}-hint">
      ${error ? html`<p id="${id}-error" class="error">${error}</p>` : html`<p id="${id}-error" class="error" hidden></p>`}
    </div>
  </fieldset>`;
}
