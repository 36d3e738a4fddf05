// The LiveKit call view's strings, in its own lazy chunk (Daily rooms and every visitor before the
// call never download them). The view's title, Leave and the device problems come from bw-call.
type Key = 'you' | 'waitingFor' | 'mute' | 'camera' | 'share' | 'controls' | 'joinedNow' | 'leftNow' | 'micOff' | 'cameraOff'
  | 'screenOf' | 'recordingNow' | 'enableAudio' | 'deviceInUse' | 'shareFailed' | 'connecting' | 'reconnecting' | 'disconnected';

const en: Record<Key, string> = {
  you: 'You',
  waitingFor: 'Waiting for {name} to join…',
  mute: 'Microphone off',
  camera: 'Camera off',
  share: 'Share screen',
  controls: 'Call controls',
  joinedNow: '{name} joined the call.',
  leftNow: '{name} left the call.',
  micOff: 'microphone off',
  cameraOff: 'camera off',
  screenOf: 'Screen of {name}',
  recordingNow: 'This call is being recorded.',
  enableAudio: 'Turn on sound',
  deviceInUse: 'Your camera or microphone is in use by another program. Close it, then turn the device on again here.',
  shareFailed: 'Screen sharing did not start. Your browser or system may block it for this site.',
  connecting: 'Connecting…',
  reconnecting: 'Connection lost, reconnecting…',
  disconnected: 'The call was disconnected.',
};

const de: Record<Key, string> = {
  you: 'Sie',
  waitingFor: 'Warten auf {name}…',
  mute: 'Mikrofon aus',
  camera: 'Kamera aus',
  share: 'Bildschirm teilen',
  controls: 'Anrufsteuerung',
  joinedNow: '{name} ist dem Anruf beigetreten.',
  leftNow: '{name} hat den Anruf verlassen.',
  micOff: 'Mikrofon aus',
  cameraOff: 'Kamera aus',
  screenOf: 'Bildschirm von {name}',
  recordingNow: 'Dieser Anruf wird aufgezeichnet.',
  enableAudio: 'Ton einschalten',
  deviceInUse: 'Kamera oder Mikrofon werden von einem anderen Programm benutzt. Schließen Sie es und schalten Sie das Gerät hier wieder ein.',
  shareFailed: 'Die Bildschirmfreigabe hat nicht begonnen. Ihr Browser oder System blockiert sie möglicherweise für diese Seite.',
  connecting: 'Verbindung wird aufgebaut…',
  reconnecting: 'Verbindung verloren, neuer Versuch…',
  disconnected: 'Der Anruf wurde getrennt.',
};

const ru: Record<Key, string> = {
  you: 'Вы',
  waitingFor: 'Ждём, когда подключится {name}…',
  mute: 'Микрофон выключен',
  camera: 'Камера выключена',
  share: 'Показать экран',
  controls: 'Управление звонком',
  joinedNow: '{name} подключается к звонку.',
  leftNow: '{name} покидает звонок.',
  micOff: 'микрофон выключен',
  cameraOff: 'камера выключена',
  screenOf: 'Экран: {name}',
  recordingNow: 'Звонок записывается.',
  enableAudio: 'Включить звук',
  deviceInUse: 'Камера или микрофон заняты другой программой. Закройте её и снова включите устройство здесь.',
  shareFailed: 'Показ экрана не начался. Возможно, браузер или система запрещают его для этого сайта.',
  connecting: 'Подключение…',
  reconnecting: 'Связь потеряна, переподключаемся…',
  disconnected: 'Звонок прерван.',
};

const TABLES = { en, de, ru };

export type LiveKitKey = Key;

export function lt(locale: string, key: Key, vars: Record<string, string> = {}): string {
  const lang = locale.toLowerCase().split('-')[0] as keyof typeof TABLES;
  return (TABLES[lang] ?? en)[key].replace(/\{(\w+)\}/g, (_, n: string) => vars[n] ?? '');
}
