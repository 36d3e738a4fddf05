// Google Meet and Microsoft Teams as providers: the meeting is created with the specialist's
// calendar event (conferenceData / isOnlineMeeting, server/calendar/sync-job.ts), whose join URL
// becomes the booking's room. There is no room to create, move or delete here (the event carries
// it; deleting the event ends it), no token (the meeting's own lobby admits people), and no
// recording through this server (both record inside their own apps).
import { HttpError } from '../http/errors.ts';
import type { JoinCredential, PresentParticipant, RecordingLink, Room, VideoProvider } from './provider.ts';

export class ConferenceProvider implements VideoProvider {
  readonly kind: 'google_meet' | 'teams';

  constructor(kind: 'google_meet' | 'teams') {
    this.kind = kind;
  }

  /** The join route reads the stored meeting URL instead; nothing is created here. */
  async ensureRoom(): Promise<Room> {
    throw new HttpError(409, 'conference_pending', 'The meeting link is created with the specialist\'s calendar event and is not there yet; try again in a minute.');
  }

  async updateRoom(): Promise<boolean> {
    return false; // the calendar event moves, and its meeting with it
  }

  async deleteRoom(): Promise<void> {
    // Cancelling deletes the calendar event, and the meeting with it.
  }

  async issueToken(): Promise<string> {
    return '';
  }

  /** No token of ours: the meeting's own sign-in admits people. */
  async readToken(): Promise<JoinCredential | null> {
    return null;
  }

  /** Who attended is asked after the meeting (attendance.ts), not while it runs. */
  async presence(): Promise<PresentParticipant[]> {
    return [];
  }

  async startRecording(): Promise<string> {
    throw new HttpError(409, 'recording_unavailable', 'Google Meet and Teams record inside their own apps.');
  }

  async stopRecording(): Promise<void> {}

  async recordingLink(): Promise<RecordingLink | null> {
    return null;
  }

  async deleteRecording(): Promise<void> {}
}
