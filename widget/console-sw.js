// The console's service worker (served at /console/sw.js, scope /console/): shows the pushes the
// server sends a specialist (new booking, request, cancellation, starting soon) and opens the
// booking in the console when one is clicked. Payload: { title, body, url, tag } (server/
// notifications/channels/push.ts), decrypted by the browser.
self.addEventListener('push', (event) => {
  let msg = { title: 'Booking console', body: '', url: '/console/', tag: undefined };
  try { msg = { ...msg, ...event.data.json() }; } catch { /* an empty or foreign push: generic notice */ }
  event.waitUntil(self.registration.showNotification(msg.title, { body: msg.body, tag: msg.tag, data: { url: msg.url } }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data && event.notification.data.url ? event.notification.data.url : '/console/';
  event.waitUntil((async () => {
    const open = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    const same = open.find((c) => new URL(c.url).pathname.startsWith('/console'));
    if (same) { await same.focus(); return same.navigate(url); }
    return self.clients.openWindow(url);
  })());
});
