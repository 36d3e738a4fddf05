// Recording a consultation: the visitor's answer to "may this be recorded?" (null until asked),
// and the recording's life (started by the host, then processing at the provider, then ready;
// `recording_session` is the provider's handle while it runs: Daily's instanceId, LiveKit's egress id).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE bookings
      ADD COLUMN recording_consent boolean,
      ADD COLUMN recording_consent_at timestamptz,
      ADD COLUMN recording_status text CHECK (recording_status IN ('recording', 'processing', 'ready')),
      ADD COLUMN recording_session text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE bookings
      DROP COLUMN IF EXISTS recording_session, DROP COLUMN IF EXISTS recording_status,
      DROP COLUMN IF EXISTS recording_consent_at, DROP COLUMN IF EXISTS recording_consent`.execute(db);
}
