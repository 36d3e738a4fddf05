// <booking-widget> inside a React 19 app: properties set from state, events as `on<event>`
// props (React 19 passes both straight to custom elements). No JSX, so no build plugin is needed.
import { createElement as h, useState, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../widget/src/index.ts';
import type { BookingWidgetEventDetails } from '../widget/src/index.ts';

type Detail<K extends keyof BookingWidgetEventDetails> = CustomEvent<BookingWidgetEventDetails[K]>;

function App() {
  const [locale, setLocale] = useState('en');
  const [service, setService] = useState('consultation');
  const [log, setLog] = useState<string[]>([]);
  const add = (line: string) => setLog((l) => [...l.slice(-7), line]);

  return h('main', null,
    h('h1', null, 'Book a consultation (React)'),
    h('p', { className: 'lead' }, 'The same element, driven by React state; its events update the log below.'),
    h('div', { className: 'controls' },
      h('label', null, 'Language', h('select', { value: locale, onChange: (e: { target: { value: string } }) => setLocale(e.target.value) },
        h('option', { value: 'en' }, 'English'), h('option', { value: 'de' }, 'Deutsch'), h('option', { value: 'ru' }, 'Русский'))),
      h('label', null, 'Service', h('select', { value: service, onChange: (e: { target: { value: string } }) => setService(e.target.value) },
        h('option', { value: 'consultation' }, 'Video consultation'), h('option', { value: 'intro-call' }, 'Intro call'), h('option', { value: '' }, '(visitor chooses)')))),
    h('booking-widget', {
      key: service, // a new service starts a fresh journey
      specialist: 'dr-weber',
      service: service || undefined,
      locale,
      'onbooking-widget-slot-selected': (e: Detail<'booking-widget-slot-selected'>) => add(`slot-selected ${e.detail.slot.start}`),
      'onbooking-widget-booked': (e: Detail<'booking-widget-booked'>) => add(`booked ${e.detail.booking.id}`),
      'onbooking-widget-cancelled': (e: Detail<'booking-widget-cancelled'>) => add(`cancelled ${e.detail.booking.id}`),
      'onbooking-widget-rescheduled': (e: Detail<'booking-widget-rescheduled'>) => add(`rescheduled to ${e.detail.booking.start}`),
      'onbooking-widget-error': (e: Detail<'booking-widget-error'>) => add(`error ${e.detail.code}`),
    }),
    h('div', { className: 'log', 'aria-live': 'polite', 'aria-label': 'Event log' }, log.join('\n') || 'Events will appear here.'),
  );
}

createRoot(document.getElementById('root')!).render(h(StrictMode, null, h(App)));
