// <booking-widget> inside a Vue 3 app: props bound as DOM properties, events through `on…`
// listeners on the element. Render functions, so the runtime-only Vue build suffices.
import { createApp, defineComponent, h, ref } from 'vue';
import '../widget/src/index.ts';
import type { BookingWidgetEventDetails } from '../widget/src/index.ts';

type Detail<K extends keyof BookingWidgetEventDetails> = CustomEvent<BookingWidgetEventDetails[K]>;

const App = defineComponent({
  setup() {
    const locale = ref('en');
    const service = ref('intro-call');
    const log = ref<string[]>([]);
    const add = (line: string) => { log.value = [...log.value.slice(-7), line]; };
    const select = (label: string, model: typeof locale, options: [string, string][]) =>
      h('label', null, [label, h('select', { value: model.value, onChange: (e: Event) => { model.value = (e.target as HTMLSelectElement).value; } },
        options.map(([v, text]) => h('option', { value: v }, text)))]);

    return () => h('main', null, [
      h('h1', null, 'Book a consultation (Vue)'),
      h('p', { class: 'lead' }, 'The same element in a Vue app; its events update the log below.'),
      h('div', { class: 'controls' }, [
        select('Language', locale, [['en', 'English'], ['de', 'Deutsch'], ['ru', 'Русский']]),
        select('Service', service, [['intro-call', 'Intro call'], ['consultation', 'Video consultation'], ['', '(visitor chooses)']]),
      ]),
      h('booking-widget', {
        key: service.value,
        specialist: 'dr-weber',
        service: service.value || undefined,
        locale: locale.value,
        'onBooking-widget-slot-selected': (e: Detail<'booking-widget-slot-selected'>) => add(`slot-selected ${e.detail.slot.start}`),
        'onBooking-widget-booked': (e: Detail<'booking-widget-booked'>) => add(`booked ${e.detail.booking.id}`),
        'onBooking-widget-cancelled': (e: Detail<'booking-widget-cancelled'>) => add(`cancelled ${e.detail.booking.id}`),
        'onBooking-widget-rescheduled': (e: Detail<'booking-widget-rescheduled'>) => add(`rescheduled to ${e.detail.booking.start}`),
        'onBooking-widget-error': (e: Detail<'booking-widget-error'>) => add(`error ${e.detail.code}`),
      }),
      h('div', { class: 'log', 'aria-live': 'polite', 'aria-label': 'Event log' }, log.value.join('\n') || 'Events will appear here.'),
    ]);
  },
});

createApp(App).mount('#app');
